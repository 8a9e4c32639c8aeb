using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// The background worker that anchors accepted records on chain, exactly once. On every
/// replica it competes for the <c>anchoring</c> lease; the holder, pass after pass:
/// (1) moves every unfinished batch a step (<see cref="BatchTracker"/>: record it from the chain, wait for
/// confirmations, send it again after it was lost or reorganised away, replace it when stuck);
/// (2) then, while fewer than <see cref="AnchoringOptions.MaxInFlight"/> batches wait to be mined and a batch is due
/// (size or age), plans the next durably and sends it with the next nonce, without waiting for the earlier ones, and only
/// then writes its records' batch, leaf index and proof (<see cref="BatchPlanner"/>): in the background loop on a task of
/// its own (<see cref="RecordAssignmentQueue"/>), while the next passes plan and send the batches after it.
/// All its state is in the database, written in transactions fenced by the lease, so a kill at
/// any instruction resumes from what is stored. Runs only on a replica with an anchorer key.
/// </summary>
public sealed partial class AnchoringWorker : BackgroundService
{
    /// <summary>The name of the lease row.</summary>
    public const string LeaseName = "anchoring";

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly LedgerChain _chain;
    private readonly AnchoringOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AnchoringWorker> _logger;
    private readonly BatchPlanner _planner;
    private readonly BatchTracker _tracker;
    private readonly RecordAssignmentQueue _assignments;

    /// <summary>Creates the worker; it does nothing until started (or <see cref="RunOnceAsync"/> is called).</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="chain">The chain and the anchorer key.</param>
    /// <param name="options">Batching and lease settings.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where passes are logged.</param>
    /// <param name="metrics">Where anchored batches are counted; null to count nothing.</param>
    public AnchoringWorker(
        IDbContextFactory<LedgerDbContext> databases,
        LedgerChain chain,
        IOptions<AnchoringOptions> options,
        TimeProvider time,
        ILogger<AnchoringWorker> logger,
        LedgerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _databases = databases;
        _chain = chain;
        _options = options.Value;
        _time = time;
        _logger = logger;
        var holder = _options.ReplicaName
            ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
        Lease = new WorkerLeaseKeeper(databases, time, LeaseName, holder, _options.LeaseDuration);
        _planner = new BatchPlanner(_options, time, Lease, chain.Ledger.Address);
        _tracker = new BatchTracker(chain, _options, Lease, time, logger, metrics);
        _assignments = new RecordAssignmentQueue(databases, AssignRecordsAsync, OnAssignFailed);
    }

    /// <summary>The anchoring lease as this replica sees it.</summary>
    public WorkerLeaseKeeper Lease { get; }

    /// <summary>
    /// Whether a graceful stop gives the lease up so that another replica takes over at once.
    /// Default: true. Tests turn it off to stop a worker the way kill -9 would.
    /// </summary>
    internal bool ReleaseLeaseOnStop { get; set; } = true;

    /// <summary>
    /// One pass: takes or renews the lease, then advances the unfinished batch or plans and sends
    /// the next one. Chain and database errors propagate (the background loop logs them and retries).
    /// </summary>
    /// <exception cref="AnchoringInconsistencyException">When the ledger and the chain disagree; nothing was sent.</exception>
    /// <exception cref="WorkerLeaseLostException">When another replica took the lease mid-pass; nothing was written.</exception>
    public Task<AnchoringStep> RunOnceAsync(CancellationToken cancellationToken = default) =>
        RunPassAsync(writeRecordsAfterPass: false, cancellationToken);

    /// <summary>
    /// One pass. With <paramref name="writeRecordsAfterPass"/> (the background loop) the records of the batches it plans,
    /// and of earlier ones still pending, are written by <see cref="_assignments"/> while this and the next passes go on,
    /// so that planning the next batch never waits for them; otherwise (<see cref="RunOnceAsync"/>) within the pass.
    /// </summary>
    private async Task<AnchoringStep> RunPassAsync(bool writeRecordsAfterPass, CancellationToken cancellationToken)
    {
        if (!await Lease.TryHoldAsync(cancellationToken))
        {
            return AnchoringStep.NotLeaseHolder;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        await CheckDeploymentAsync(db, cancellationToken);
        var unfinished = await db.Batches.Where(b => b.State != AnchorBatchState.Anchored)
            .OrderBy(b => b.FirstSequence).ToListAsync(cancellationToken);
        foreach (var batch in unfinished.Where(b => b.PendingRecordIds is not null))
        {
            // Planned, perhaps sent, and its records not written: being written, or a crash after the plan, or another
            // replica's (the queue ignores a batch it holds already).
            if (writeRecordsAfterPass)
            {
                _assignments.Enqueue(batch.Id, tree: null, cancellationToken);
            }
            else
            {
                await AssignRecordsAsync(db, batch, tree: null, cancellationToken);
            }
        }

        var pass = await AnchoringPass.ReadAsync(_chain, unfinished.Max(b => b.Nonce) ?? -1);
        var steps = new List<AnchoringStep>();
        foreach (var batch in unfinished)
        {
            steps.Add(await _tracker.AdvanceAsync(db, batch, pass, cancellationToken));
        }

        // Batches not seen mined yet hold a pending nonce each: at most MaxInFlight of them at once. A pass plans a
        // further batch only within one poll interval of its start: under a steady backlog a batch is always due again
        // by the time the previous one's records are written, and a pass planning on and on would leave the
        // confirmations of the batches before it unrecorded (a minute and more at 2,500 records/s).
        var inFlight = unfinished.Count(b => b.State != AnchorBatchState.Anchored && b.BlockHash is null);
        var passStarted = _time.GetTimestamp();
        var planned = 0;
        while (inFlight < _options.MaxInFlight
               && _assignments.Count < _options.MaxInFlight
               && (planned == 0 || _time.GetElapsedTime(passStarted) < _chain.Options.PollInterval)
               && await _planner.IsBatchDueAsync(db, cancellationToken))
        {
            var firstSequence = await BatchPlanner.NextSequenceAsync(db, _chain.Ledger.Address, cancellationToken);
            if (unfinished.All(b => b.State == AnchorBatchState.Anchored))
            {
                await CheckChainSequenceAsync(firstSequence, cancellationToken);
            }

            if (await _planner.PlanAsync(db, firstSequence, cancellationToken) is not { Batch: var batch, Tree: var tree, Timings: var took })
            {
                break;
            }

            LogPlanned(
                batch.Id, batch.FirstSequence, batch.RecordCount, batch.Root.ToString(), took.Total.TotalMilliseconds, took.Read.TotalMilliseconds,
                took.Tree.TotalMilliseconds, took.Write.TotalMilliseconds, took.Commit.TotalMilliseconds);
            unfinished.Add(batch);
            // Sent first: the records' costly update (their proofs) is not on the way to the chain; it is done long
            // before the batch has its confirmations. In the background loop it is not on the next batch's way either.
            steps.Add(await _tracker.AdvanceAsync(db, batch, pass, cancellationToken));
            if (writeRecordsAfterPass)
            {
                _assignments.Enqueue(batch.Id, tree, cancellationToken);
            }
            else
            {
                await AssignRecordsAsync(db, batch, tree, cancellationToken);
            }

            inFlight++;
            planned++;
        }

        return steps.Count == 0 ? AnchoringStep.Idle : steps.MaxBy(StepRank);
    }

    internal async Task AssignRecordsAsync(LedgerDbContext db, AnchorBatch batch, Core.Merkle.MerkleTree? tree, CancellationToken cancellationToken)
    {
        if (await _planner.AssignRecordsAsync(db, batch, tree, cancellationToken) is { } took)
        {
            LogAssigned(
                batch.Id, batch.RecordCount, took.Total.TotalMilliseconds, took.Rebuild.TotalMilliseconds, took.Proofs.TotalMilliseconds,
                took.Write.TotalMilliseconds, took.Commit.TotalMilliseconds);
        }
    }

    // Told by the queue: the batch stays pending and the next pass hands it over again; an inconsistency is as loud as
    // it is when a pass meets it.
    private void OnAssignFailed(long batchId, Exception exception)
    {
        switch (exception)
        {
            case AnchoringInconsistencyException:
                LogInconsistent(exception);
                break;
            case WorkerLeaseLostException lost:
                LogLeaseLost(lost.Message);
                break;
            default:
                LogAssignFailed(batchId, exception);
                break;
        }
    }

    // What a pass reports when it moved several batches: the step that moved furthest (anchored, then sent).
    private static int StepRank(AnchoringStep step) => step switch
    {
        AnchoringStep.Anchored => 3,
        AnchoringStep.Sent => 2,
        AnchoringStep.Waiting => 1,
        _ => 0,
    };

    // Every earlier batch is anchored, so this anchorer's sequence on chain must be exactly where they end (other
    // anchorers have their own). Checked before planning so that a wrong contract, a wrong key or a restored database
    // stops anchoring loudly.
    private async Task CheckChainSequenceAsync(long firstSequence, CancellationToken cancellationToken)
    {
        var anchorer = _chain.Anchorer ?? throw new InvalidOperationException("This replica has no anchorer key.");
        var chainNext = await _chain.Ledger.NextSequenceAsync(anchorer, cancellationToken);
        if ((long)chainNext != firstSequence)
        {
            throw new AnchoringInconsistencyException(
                $"The ledger's anchored batches end at sequence {firstSequence}, but the chain's next sequence is {chainNext} for its anchorer {anchorer} " +
                $"(contract {_chain.Ledger.Address}): another ledger anchoring with the same key, a restored database or a " +
                "reorganisation deeper than the confirmations. No batch is planned.");
        }
    }

    // A replica still configured with an older deployment after another one switched (docs/upgrades.md) must not anchor:
    // one query per pass, never per record.
    private async Task CheckDeploymentAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        var latest = await db.Deployments.OrderByDescending(d => d.Id).Select(d => (EvmAddress?)d.ProvenanceLedger)
            .FirstOrDefaultAsync(cancellationToken);
        if (latest is { } switchedTo && switchedTo != _chain.Ledger.Address)
        {
            throw new AnchoringInconsistencyException(
                $"This replica is configured with ProvenanceLedger {_chain.Ledger.Address}, but the ledger switched to {switchedTo}: " +
                "restart it with the new deployment (docs/upgrades.md). Nothing is planned or sent.");
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_chain.Anchorer is null || !_options.Enabled)
        {
            LogNotAnchoring(_options.Enabled);
            return;
        }

        LogStarted(Lease.Holder, _chain.Anchorer.Value.ToString());
        var pollInterval = _chain.Options.PollInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var step = await RunPassSafelyAsync(stoppingToken);
                if (step is AnchoringStep.Idle or AnchoringStep.Waiting or AnchoringStep.NotLeaseHolder or null)
                {
                    await Task.Delay(pollInterval, _time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            // Before the lease goes: an interrupted write commits nothing and the next holder writes it.
            await _assignments.WhenIdleAsync();
            if (ReleaseLeaseOnStop)
            {
                await ReleaseQuietlyAsync();
            }
        }
    }

    private async Task<AnchoringStep?> RunPassSafelyAsync(CancellationToken stoppingToken)
    {
        try
        {
            return await RunPassAsync(writeRecordsAfterPass: true, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (AnchoringInconsistencyException e)
        {
            LogInconsistent(e);
        }
        catch (WorkerLeaseLostException e)
        {
            LogLeaseLost(e.Message);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The chain node or the database is away, or a transaction was refused: all retried
            // from the stored state at the next pass.
            LogPassFailed(e);
        }

        return null;
    }

    private async Task ReleaseQuietlyAsync()
    {
        try
        {
            await Lease.ReleaseAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPassFailed(e); // the lease expires by itself
        }
    }

    [LoggerMessage(LogLevel.Information, "Anchoring worker {Holder} started; anchoring as {Anchorer}.")]
    private partial void LogStarted(string holder, string anchorer);

    [LoggerMessage(LogLevel.Information, "This replica does not anchor (Ledger:Anchoring:Enabled is {Enabled}, or no anchorer key is configured).")]
    private partial void LogNotAnchoring(bool enabled);

    // The load generator's sustained-anchoring mode reads these two lines (docs/benchmarks/ledger-load.md): keep their shape.
    [LoggerMessage(LogLevel.Information,
        "Planned batch {BatchId}: {RecordCount} records from sequence {FirstSequence}, root {Root}; took {TotalMs:F0} ms " +
        "(read {ReadMs:F0}, tree {TreeMs:F0}, write {WriteMs:F0}, commit {CommitMs:F0}).")]
    private partial void LogPlanned(
        long batchId, long firstSequence, int recordCount, string root, double totalMs, double readMs, double treeMs, double writeMs, double commitMs);

    [LoggerMessage(LogLevel.Information,
        "Assigned batch {BatchId}'s {RecordCount} records: took {TotalMs:F0} ms (rebuild {RebuildMs:F0}, proofs {ProofsMs:F0}, write {WriteMs:F0}, commit {CommitMs:F0}).")]
    private partial void LogAssigned(long batchId, int recordCount, double totalMs, double rebuildMs, double proofsMs, double writeMs, double commitMs);

    [LoggerMessage(LogLevel.Warning, "Writing batch {BatchId}'s records failed; the next pass hands them over again.")]
    private partial void LogAssignFailed(long batchId, Exception exception);

    [LoggerMessage(LogLevel.Critical, "Anchoring stopped: the ledger and the chain disagree. Nothing is skipped; an operator must look.")]
    private partial void LogInconsistent(Exception exception);

    [LoggerMessage(LogLevel.Warning, "{Message}")]
    private partial void LogLeaseLost(string message);

    [LoggerMessage(LogLevel.Warning, "Anchoring pass failed; retrying from the stored state.")]
    private partial void LogPassFailed(Exception exception);
}
