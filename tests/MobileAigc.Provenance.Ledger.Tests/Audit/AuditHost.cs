using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Audit;

/// <summary>The real ledger host in memory over a database of the test's and a deployment's chain, with an admin key and an auditor key.</summary>
internal sealed class AuditHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "audit-test-admin-key-0123456789";

    /// <summary>The read-only auditor key the host is configured with.</summary>
    public const string AuditorKey = "audit-test-auditor-key-9876543210";

    private readonly LedgerDatabaseOptions _database;
    private readonly TestDeployment _deployment;
    private readonly string _keyFile = Path.GetTempFileName();
    private readonly string _auditorKeyFile = Path.GetTempFileName();

    private AuditHost(LedgerDatabaseOptions database, TestDeployment deployment)
    {
        _database = database;
        _deployment = deployment;
        File.WriteAllText(_keyFile, AdminKey + "\n");
        File.WriteAllText(_auditorKeyFile, AuditorKey + "\n");
    }

    /// <summary>The host's database, for the test to write and tamper with.</summary>
    public IDbContextFactory<LedgerDbContext> Databases { get; private set; } = null!;

    public static async Task<AuditHost> StartAsync(LedgerDatabases databases, TestDeployment deployment)
    {
        var options = await databases.NewDatabaseOptionsAsync();
        var host = new AuditHost(options, deployment);
        host.Databases = LedgerDatabases.ContextFactory(options);
        _ = host.Server; // starts it: migrations run before the first request.
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Ledger:Database:Provider", _database.Provider.ToString());
        builder.UseSetting("Ledger:Database:DataDirectory", _database.DataDirectory);
        if (_database.ConnectionString is { } connection)
        {
            builder.UseSetting("Ledger:Database:ConnectionString", connection);
        }

        var chain = _deployment.Chain.Options;
        builder.UseSetting("Ledger:Chain:RpcUrl", chain.RpcUrl!.ToString());
        builder.UseSetting("Ledger:Chain:ChainId", chain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Ledger:Chain:ModelRegistry", chain.ModelRegistry);
        builder.UseSetting("Ledger:Chain:ProvenanceLedger", chain.ProvenanceLedger);
        builder.UseSetting("Ledger:Chain:Confirmations", "0");
        builder.UseSetting("Ledger:Host:AdminApiKeyFile", _keyFile);
        builder.UseSetting("Ledger:Host:AuditorApiKeyFile", _auditorKeyFile);
        builder.UseSetting("Ledger:Host:RateLimitPermits", "100000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        File.Delete(_keyFile);
        File.Delete(_auditorKeyFile);
    }
}
