using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Checks and stores signed provenance records. Per request: signatures are checked in parallel
/// (<see cref="RecordSignatureVerifier"/>), the registry mirror is read in two queries, the
/// stored records holding the request's (node, sequence) pairs are found in one query per node
/// (<see cref="ExistingRecordsQuery"/>), and the new records (one bulk insert, <see cref="StoredRecordBulkInsert"/>) and the
/// refused conflicts are inserted in one transaction; the unique indexes on digest and on
/// (node, sequence) settle a race with another request or replica, after which the batch is
/// checked again.
/// Submission is idempotent: a record already stored identically is accepted again with the
/// same digest and no new row. A record conflicting with a stored one (same node and sequence,
/// another digest), or with an earlier one of the same request, is refused and kept in
/// <see cref="LedgerDbContext.RefusedRecords"/> for audit. A node's statement of the delivered file's hash
/// (<see cref="SignedProvenanceRecord.DeliveredFile"/>) is checked with the signatures
/// (<see cref="DeliveredFileCheck"/>) and kept in the record's own row, so only when the record is stored now;
/// one not kept is reported in <see cref="RecordIngestOutcome.NotKept"/> and never refuses its record.
/// Thread-safe; several replicas may ingest into one PostgreSQL database at once.
/// </summary>
public sealed partial class RecordIngestor
{
    // A race lost to another request is settled by one re-check; more rounds only guard against a burst of them.
    private const int MaxStoreAttempts = 4;

    private readonly RecordChecks _checks;
    private readonly RecordIngestStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordIngestor> _logger;

    /// <summary>Prepares an ingestor.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="verifier">The signature checker of the ledger's EIP-712 domain.</param>
    /// <param name="registry">The registry mirror.</param>
    /// <param name="creators">The checks of the creators the records name.</param>
    /// <param name="options">The checks' settings.</param>
    /// <param name="time">The clock that bounds record timestamps and stamps <see cref="StoredRecord.ReceivedAt"/>.</param>
    /// <param name="logger">Where conflicts and lost races are logged.</param>
    /// <param name="previousDomains">
    /// The previous deployments' domains, so that a record signed for one is refused saying so (after a contract upgrade);
    /// null: none.
    /// </param>
    public RecordIngestor(
        IDbContextFactory<LedgerDbContext> databases, RecordSignatureVerifier verifier, RegistryMirror registry,
        CreatorProofChecker creators, IOptions<RecordIngestOptions> options, TimeProvider time, ILogger<RecordIngestor> logger,
        PreviousDomainSigners? previousDomains = null)
    {
        ArgumentNullException.ThrowIfNull(creators);
        ArgumentNullException.ThrowIfNull(databases);
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
        var settings = options.Value;
        var parallelism = settings.SignatureParallelism > 0 ? settings.SignatureParallelism : Environment.ProcessorCount;
        var quota = new NodeIngestQuota(settings.NodeQuotaRecords, settings.NodeQuotaWindow, time);
        var deliveredFiles = new DeliveredFileCheck(new DeliveredFileVerifier(verifier.Domain, verifier.UsesNativeRecovery));
        _checks = new RecordChecks(databases, verifier, registry, creators, settings, quota, deliveredFiles, previousDomains, parallelism);
        _store = new RecordIngestStore(databases, logger);
        if (verifier.UsesNativeRecovery)
        {
            LogRecoveryNative();
        }
        else
        {
            LogRecoveryPort(RecordSignatureVerifier.NativeRecoveryUnavailableReason ?? "the verifier was built not to use it");
        }
    }

    /// <summary>
    /// Checks and stores the records; returns one outcome per record, in order. Refusals are
    /// outcomes, not exceptions.
    /// </summary>
    /// <exception cref="ArgumentException">When the list or one of its records (or its record or signature) is null.</exception>
    /// <exception cref="DbException">When the database fails for another reason than a lost race (or keeps losing races).</exception>
    /// <exception cref="DbUpdateException">When writing the refused records fails.</exception>
    public async Task<IReadOnlyList<RecordIngestOutcome>> IngestAsync(
        IReadOnlyList<SignedProvenanceRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is not { Record: not null, Signature: not null })
            {
                throw new ArgumentException($"Record {i} is null or lacks its record or signature.", nameof(records));
            }
        }

        var now = _time.GetUtcNow();
        var digests = new Bytes32[records.Count];
        var outcomes = new RecordIngestOutcome?[records.Count];
        var creators = new CreatorClaimCheck[records.Count];
        _checks.CheckSignaturesAndFields(records, now, digests, creators, outcomes, cancellationToken);
        await _checks.CheckRegistryAsync(records, digests, outcomes, cancellationToken);
        await _checks.CheckCreatorChannelsAsync(records, digests, creators, outcomes, cancellationToken);
        _checks.ChargeQuota(records, digests, outcomes);
        var deliveredFiles = _checks.CheckDeliveredFiles(records, digests, outcomes, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _store.StoreAsync(records, digests, creators, deliveredFiles, outcomes, now, cancellationToken);
            }
            catch (Exception e) when (attempt < MaxStoreAttempts && UniqueViolation.Is(e))
            {
                // Another request stored one of these records (or a conflicting one) between our read and our write: read again.
                LogRaceLost(attempt);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Ingest: record signatures are recovered with the native libsecp256k1.")]
    private partial void LogRecoveryNative();

    [LoggerMessage(LogLevel.Warning, "Ingest: record signatures are recovered with the C# port NBitcoin.Secp256k1 (about four times slower than the native libsecp256k1): {Reason}")]
    private partial void LogRecoveryPort(string reason);

    [LoggerMessage(LogLevel.Debug, "Ingest: another request stored some of these records first (attempt {Attempt}); checking again.")]
    private partial void LogRaceLost(int attempt);
}
