using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>
/// A rough figure of ingest throughput (signature checks, mirror reads, one insert per batch) in
/// 1,000-record batches, printed to the test output; the load generator measures the HTTP path.
/// Nothing is asserted about speed (a shared, loaded machine would make it flaky); only that every record was stored.
/// </summary>
public abstract class IngestThroughputTests(LedgerDatabases databases, ITestOutputHelper output)
{
    private const int BatchSize = 1_000;
    private const int Batches = 5;

    [Fact]
    public async Task IngestAsync_FiveBatchesOfAThousand_ReportsRecordsPerSecond()
    {
        var domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
        var nodeKey = EthECKey.GenerateKey();
        var model = Bytes32.Sha256("throughput"u8);
        var db = await databases.NewDatabaseAsync();
        await using (var context = await db.CreateDbContextAsync())
        {
            var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
            context.Models.Add(new MirroredModel { ModelHash = model, Owner = node, Active = true });
            context.Nodes.Add(new MirroredNode { Node = node, Operator = node, Registered = true });
            context.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = model });
            context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = model, Node = node });
            await context.SaveChangesAsync();
        }

        var now = TimeProvider.System.GetUtcNow();
        var batches = new List<SignedProvenanceRecord>[Batches];
        Parallel.For(0, Batches, b => batches[b] = SignedRecords.Batch(domain, nodeKey, model, (ulong)(b * BatchSize) + 1, BatchSize, now));
        var verifier = new RecordSignatureVerifier(domain);
        var ingestor = new RecordIngestor(db, verifier, new RegistryMirror(db), new CreatorProofChecker(verifier, channels: null),
            Options.Create(new RecordIngestOptions()), TimeProvider.System, NullLogger<RecordIngestor>.Instance);
        await ingestor.IngestAsync(SignedRecords.Batch(domain, nodeKey, model, 1_000_000, 10, now)); // warm up

        var watch = Stopwatch.StartNew();
        foreach (var batch in batches)
        {
            Assert.All(await ingestor.IngestAsync(batch), o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
        }

        watch.Stop();
        var perSecond = Batches * BatchSize / watch.Elapsed.TotalSeconds;
        output.WriteLine($"{databases.Provider}: {Batches * BatchSize} records in {watch.Elapsed.TotalMilliseconds:F0} ms = {perSecond:F0} records/s on {Environment.ProcessorCount} cores");
        await using var check = await db.CreateDbContextAsync();
        Assert.Equal((Batches * BatchSize) + 10, await check.Records.CountAsync());
    }
}

/// <summary>Ingest throughput on SQLite.</summary>
public sealed class SqliteIngestThroughputTests(SqliteDatabases databases, ITestOutputHelper output)
    : IngestThroughputTests(databases, output), IClassFixture<SqliteDatabases>;

/// <summary>Ingest throughput on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresIngestThroughputTests(PostgresDatabases databases, ITestOutputHelper output)
    : IngestThroughputTests(databases, output);
