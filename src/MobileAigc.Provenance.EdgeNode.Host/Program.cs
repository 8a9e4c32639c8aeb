using MobileAigc.Provenance.EdgeNode.Host;
using MobileAigc.Provenance.EdgeNode.Host.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddEdgeNodeServices();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapHealthChecks("/health");
app.MapGenerationApi();
app.MapPaymentsApi();

await app.RunAsync();

/// <summary>The host's entry point, public so that tests can start it.</summary>
public partial class Program;
