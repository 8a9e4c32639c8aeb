using Microsoft.Extensions.Options;
using MobileAigc.Provenance.EdgeNode.Host;
using MobileAigc.Provenance.EdgeNode.Host.Apis;
using MobileAigc.Provenance.EdgeNode.Host.Limits;
using MobileAigc.Provenance.EdgeNode.Host.Metrics;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddEdgeNodeServices();

    var app = builder.Build();
    app.UseForwardedHeadersFromTrustedProxies();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.MapOpenApi();
    app.MapHealthEndpoints();
    app.MapMetrics();
    app.MapGenerationApi();
    app.MapPaymentsApi();
    app.MapFineTuningApi();
    app.MapEvidenceApi();

    await app.RunAsync();
}
catch (OptionsValidationException refused)
{
    // A setting the node cannot start with: the operator reads what to fix, not a stack trace.
    await Console.Error.WriteLineAsync($"edge-node: configuration refused: {refused.Message}");
    return 1;
}

return 0;

/// <summary>The host's entry point, public so that tests can start it.</summary>
public partial class Program;
