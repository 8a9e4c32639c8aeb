using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>The real ledger host on a temporary SQLite database and a test deployment on anvil.</summary>
internal sealed class RecordsHost(TestDeployment deployment) : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-records-").FullName;

    /// <summary>Waits until the host's indexer has mirrored the deployment's node registration.</summary>
    public async Task WaitForRegistryAsync()
    {
        var mirror = Services.GetRequiredService<RegistryMirror>();
        var node = EvmAddress.Parse(deployment.NodeKey.GetPublicAddress());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await mirror.IsNodeAuthorizedAsync(node, deployment.ModelHash, timeout.Token))
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>How many accepted and refused rows the database holds.</summary>
    public async Task<(int Records, int Refused)> CountRowsAsync()
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<LedgerDbContext>>().CreateDbContextAsync();
        return (await db.Records.CountAsync(), await db.RefusedRecords.CountAsync());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var chain = deployment.Chain.Options;
        builder.UseSetting("Ledger:Database:Provider", "Sqlite");
        builder.UseSetting("Ledger:Database:DataDirectory", Path.Combine(_directory, "data"));
        builder.UseSetting("Ledger:Chain:RpcUrl", chain.RpcUrl!.ToString());
        builder.UseSetting("Ledger:Chain:ChainId", chain.ChainId.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Ledger:Chain:ModelRegistry", chain.ModelRegistry);
        builder.UseSetting("Ledger:Chain:ProvenanceLedger", chain.ProvenanceLedger);
        builder.UseSetting("Ledger:Chain:Confirmations", "0");
        builder.UseSetting("Ledger:Chain:PollInterval", "00:00:00.100");
        builder.UseSetting("Ledger:Anchoring:Enabled", "false");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is swept by the OS.
        }
    }
}
