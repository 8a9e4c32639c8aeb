using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Host;

try
{
    var app = await LedgerWebApplication.BuildAsync(args);
    await app.RunAsync();
}
catch (OptionsValidationException refused)
{
    // A setting the ledger cannot start with: the operator reads what to fix, not a stack trace.
    await Console.Error.WriteLineAsync($"ledger: configuration refused: {refused.Message}");
    return 1;
}

return 0;

/// <summary>The host's entry point, public so that tests can start it.</summary>
public partial class Program;
