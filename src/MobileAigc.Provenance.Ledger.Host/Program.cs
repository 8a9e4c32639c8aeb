using MobileAigc.Provenance.Ledger.Host;

var app = await LedgerWebApplication.BuildAsync(args);
await app.RunAsync();

/// <summary>The host's entry point, public so that tests can start it.</summary>
public partial class Program;
