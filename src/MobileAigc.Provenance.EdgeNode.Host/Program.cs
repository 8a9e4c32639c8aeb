using MobileAigc.Provenance.EdgeNode.Host;
using MobileAigc.Provenance.EdgeNode.Host.Apis;
using MobileAigc.Provenance.EdgeNode.Host.Limits;

var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeNodeServices();

var app = builder.Build();
app.UseForwardedHeadersFromTrustedProxies();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.MapOpenApi();
app.MapHealthEndpoints();
app.MapGenerationApi();
app.MapPaymentsApi();

await app.RunAsync();

/// <summary>The host's entry point, public so that tests can start it.</summary>
public partial class Program;
