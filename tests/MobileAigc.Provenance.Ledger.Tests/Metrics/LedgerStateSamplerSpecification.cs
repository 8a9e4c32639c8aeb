using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Anchoring;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.Metrics;

/// <summary>
/// The backlog and indexer-lag readings behind the gauges and the health checks, on every database provider, and the
/// anchoring worker's batch measurements, against a real anvil.
/// </summary>
public abstract class LedgerStateSamplerSpecification(LedgerChainFixture chain, LedgerDatabases databases)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sample_NothingWaits_BacklogIsZeroWithoutAnAge()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);

        var reading = await Sampler(bed, metrics, new FakeTimeProvider(Start)).SampleAsync(default);

        Assert.False(reading.Failed);
        Assert.Equal(0, reading.BacklogRecords);
        Assert.Null(reading.OldestWaiting);
        Assert.False(reading.BacklogOlderThan(TimeSpan.FromSeconds(1)));
        Assert.Same(reading, metrics.State);
        recorder.Observe();
        Assert.Equal([0d], recorder.Values("provenance.ledger.anchoring.backlog"));
        Assert.Empty(recorder.Values("provenance.ledger.anchoring.backlog.age"));
    }

    [Fact]
    public async Task Sample_WhileABatchIsAnchored_CountsUnbatchedAndUnfinishedRecordsUntilTheBatchIsConfirmed()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        var time = new FakeTimeProvider(Start);
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);
        var sampler = Sampler(bed, metrics, time);
        await bed.AcceptRecordsAsync(3, Start);
        time.Advance(TimeSpan.FromMinutes(1));
        await bed.AcceptRecordsAsync(2, time.GetUtcNow());

        var waiting = await sampler.SampleAsync(default);
        Assert.Equal(5, waiting.BacklogRecords);
        Assert.Equal(TimeSpan.FromMinutes(1), waiting.OldestWaiting);
        Assert.True(waiting.BacklogOlderThan(TimeSpan.FromSeconds(59)));
        Assert.False(waiting.BacklogOlderThan(TimeSpan.FromMinutes(1)));

        var worker = new AnchoringWorker(bed.Databases, bed.Chain, Options.Create(new AnchoringOptions { BatchSize = 3, ReplicaName = "sampler-test" }),
            time, NullLogger<AnchoringWorker>.Instance, metrics);
        Assert.Equal(AnchoringStep.Sent, await worker.RunOnceAsync());
        var sent = await sampler.SampleAsync(default);
        Assert.Equal(5, sent.BacklogRecords); // the sent batch is not anchored until confirmed
        Assert.Equal(TimeSpan.FromMinutes(1), sent.OldestWaiting);

        Assert.Equal(AnchoringStep.Anchored, await AnchoringTestBed.RunPastWaitingAsync(worker));
        var anchored = await sampler.SampleAsync(default);
        Assert.Equal(2, anchored.BacklogRecords);
        Assert.Equal(TimeSpan.Zero, anchored.OldestWaiting);

        Assert.Equal([1d], recorder.Values("provenance.ledger.anchoring.batches"));
        Assert.Equal([3d], recorder.Values("provenance.ledger.anchoring.batch.records"));
        var gas = Assert.Single(recorder.Values("provenance.ledger.anchoring.batch.gas"));
        Assert.True(gas > 21_000, $"gas {gas}");
        Assert.Equal(3, recorder.Values("provenance.ledger.anchoring.delay").Count);
    }

    [Fact]
    public async Task Sample_IndexerCursor_LagIsTheConfirmedHeadLessTheLastBlockRead()
    {
        var bed = await AnchoringTestBed.CreateAsync(chain, databases);
        using var recorder = new MeterRecorder();
        var metrics = new LedgerMetrics(recorder.Factory);
        await using (var db = await bed.Databases.CreateDbContextAsync())
        {
            db.ChainCursors.Add(new ChainCursor { Name = "model-registry", NextBlock = 1 });
            await db.SaveChangesAsync();
        }

        var head = (long)(await bed.Chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var reading = await Sampler(bed, metrics, new FakeTimeProvider(Start)).SampleAsync(default);

        // Blocks are only mined by transactions here, and none is sent between the two reads.
        Assert.Equal(head - bed.Chain.Options.Confirmations, reading.IndexerLag["model-registry"]);
        recorder.Observe();
        Assert.Equal([(double)reading.IndexerLag["model-registry"]], recorder.Values("provenance.ledger.indexer.lag", ("indexer", "model-registry")));
    }

    private static LedgerStateSampler Sampler(AnchoringTestBed bed, LedgerMetrics metrics, TimeProvider time) =>
        new(bed.Databases, bed.Chain, metrics, Options.Create(new LedgerHealthOptions()), time, NullLogger<LedgerStateSampler>.Instance);
}

[Collection(AnchoringCollection.Name)]
public sealed class SqliteLedgerStateSamplerTests(LedgerChainFixture chain, SqliteDatabases databases)
    : LedgerStateSamplerSpecification(chain, databases), IClassFixture<SqliteDatabases>;

[Collection(AnchoringCollection.Name)]
public sealed class PostgresLedgerStateSamplerTests(LedgerChainFixture chain, PostgresDatabases databases)
    : LedgerStateSamplerSpecification(chain, databases);
