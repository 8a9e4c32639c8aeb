using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
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

    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly RecordSignatureVerifier _verifier;
    private readonly PreviousDomainSigners? _previousDomains;
    private readonly RegistryMirror _registry;
    private readonly CreatorProofChecker _creators;
    private readonly RecordIngestOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RecordIngestor> _logger;
    private readonly NodeIngestQuota _quota;
    private readonly DeliveredFileCheck _deliveredFiles;
    private readonly int _parallelism;

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
        _databases = databases;
        _verifier = verifier;
        _registry = registry;
        _creators = creators;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _previousDomains = previousDomains;
        _quota = new NodeIngestQuota(_options.NodeQuotaRecords, _options.NodeQuotaWindow, time);
        _parallelism = _options.SignatureParallelism > 0 ? _options.SignatureParallelism : Environment.ProcessorCount;
        _deliveredFiles = new DeliveredFileCheck(new DeliveredFileVerifier(verifier.Domain, verifier.UsesNativeRecovery));
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
        CheckSignaturesAndFields(records, now, digests, creators, outcomes, cancellationToken);
        await CheckRegistryAsync(records, digests, outcomes, cancellationToken);
        await CheckCreatorChannelsAsync(records, digests, creators, outcomes, cancellationToken);
        ChargeQuota(records, digests, outcomes);
        var deliveredFiles = CheckDeliveredFiles(records, digests, outcomes, cancellationToken);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StoreAsync(records, digests, creators, deliveredFiles, outcomes, now, cancellationToken);
            }
            catch (Exception e) when (attempt < MaxStoreAttempts && UniqueViolation.Is(e))
            {
                // Another request stored one of these records (or a conflicting one) between our read and our write: read again.
                LogRaceLost(attempt);
            }
        }
    }

    private void CheckSignaturesAndFields(
        IReadOnlyList<SignedProvenanceRecord> records, DateTimeOffset now, Bytes32[] digests, CreatorClaimCheck[] creators,
        RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var latest = (ulong)(now + _options.MaxFutureSkew).ToUnixTimeSeconds();
        var earliest = (ulong)Math.Max(0, (now - _options.MaxPastSkew).ToUnixTimeSeconds());
        Parallel.For(0, records.Count, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken }, i =>
        {
            var (record, signature) = (records[i].Record, records[i].Signature);
            // The common case compares address bytes; the signer's checksummed address is only worth building for a refusal.
            var signedByNode = _verifier.IsSignedByNode(record, signature, out var digest);
            digests[i] = digest;
            if (!signedByNode)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.InvalidSignature, _previousDomains?.SignedFor(record, signature) is { } previous
                    ? $"The record is signed for a previous deployment ({previous}); since the contract upgrade this ledger accepts records " +
                      $"signed for ProvenanceLedger {_verifier.Domain.VerifyingContract} only. The node must drain its outbox before it switches (docs/upgrades.md)."
                    : _verifier.TryRecoverSigner(record, signature, out var signer)
                        ? $"The record is signed by {signer}, not by its node {record.Node} (or a field was changed after signing)."
                        : "The signature recovers to no public key (r is zero, too large or not on the curve).");
            }
            else if (!ProvenanceRecordVersions.IsSupported(record.Version))
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.UnsupportedVersion, string.Create(CultureInfo.InvariantCulture,
                    $"The record's version {record.Version} is not one this ledger reads (versions {ProvenanceRecordVersions.V1} to {ProvenanceRecordVersions.Latest})."));
            }
            else if (ProvenanceRecordVersions.Check(records[i]) is { } malformed)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.InvalidRecord, malformed);
            }
            else if (record.Timestamp > latest)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.InvalidTimestamp, string.Create(CultureInfo.InvariantCulture,
                    $"The record's timestamp {record.Timestamp} is more than {_options.MaxFutureSkew} ahead of the ledger's clock ({now.ToUnixTimeSeconds()})."));
            }
            else if (record.Timestamp < earliest)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.TimestampTooOld, string.Create(CultureInfo.InvariantCulture,
                    $"The record's timestamp {record.Timestamp} is more than {_options.MaxPastSkew} behind the ledger's clock ({now.ToUnixTimeSeconds()})."));
            }
            else if (record.Sequence > long.MaxValue)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.InvalidRecord, string.Create(CultureInfo.InvariantCulture,
                    $"The record's sequence {record.Sequence} is above {long.MaxValue}, the largest the ledger stores."));
            }
            else
            {
                var creator = _creators.Check(records[i]);
                creators[i] = creator;
                if (!creator.Holds)
                {
                    outcomes[i] = Refuse(digest, creator.Failure == CreatorClaimFailure.NotAuthenticated
                        ? RecordRefusalReason.CreatorNotAuthenticated
                        : RecordRefusalReason.InvalidCreatorProof, creator.Detail ?? "The creator proof does not hold.");
                }
            }
        });
    }

    private async Task CheckRegistryAsync(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var snapshot = await _registry.SnapshotAsync(
            pending.Select(i => records[i].Record.ModelHash).ToHashSet(), pending.Select(i => records[i].Record.Node).ToHashSet(), cancellationToken);
        foreach (var i in pending)
        {
            var record = records[i].Record;
            if (!snapshot.IsModelRegistered(record.ModelHash))
            {
                outcomes[i] = Refuse(digests[i], RecordRefusalReason.UnknownModel,
                    $"The model {record.ModelHash} is not registered in the ModelRegistry (as far as the ledger has read the chain).");
            }
            else if (!snapshot.IsNodeAuthorized(record.Node, record.ModelHash))
            {
                outcomes[i] = Refuse(digests[i], RecordRefusalReason.NodeNotAuthorized,
                    $"The node {record.Node} is not registered for the model {record.ModelHash}.");
            }
        }
    }

    // Last of the checks: only records signed by a registered node, with a valid creator proof, spend that node's quota.
    private void ChargeQuota(IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes)
    {
        foreach (var node in Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null).GroupBy(i => records[i].Record.Node))
        {
            var (granted, reopensAt) = _quota.Take(node.Key, node.Count());
            foreach (var i in node.Skip(granted))
            {
                outcomes[i] = Refuse(digests[i], RecordRefusalReason.QuotaExceeded, string.Create(CultureInfo.InvariantCulture,
                    $"The node {node.Key} has submitted {_options.NodeQuotaRecords} records within {_options.NodeQuotaWindow}; retry after {reopensAt:O}."));
            }
        }
    }

    // After every refusal and the quota: a statement costs a second signature recovery, spent only on records that will be stored.
    private DeliveredFileVerdict[] CheckDeliveredFiles(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, RecordIngestOutcome?[] outcomes, CancellationToken cancellationToken)
    {
        var verdicts = new DeliveredFileVerdict[records.Count];
        var sent = Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null && records[i].DeliveredFile is not null).ToList();
        Parallel.ForEach(sent, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken },
            i => verdicts[i] = _deliveredFiles.Check(records[i], digests[i]));
        return verdicts;
    }

    private async Task CheckCreatorChannelsAsync(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, CreatorClaimCheck[] creators, RecordIngestOutcome?[] outcomes,
        CancellationToken cancellationToken)
    {
        var paid = Enumerable.Range(0, records.Count)
            .Where(i => outcomes[i] is null && creators[i].Authentication == CreatorAuthentication.ChannelVoucher)
            .ToDictionary(i => i, i => records[i]);
        if (paid.Count == 0)
        {
            return;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        foreach (var (i, (reason, detail)) in await CreatorProofChecker.CheckChannelsAsync(db, paid, cancellationToken))
        {
            outcomes[i] = Refuse(digests[i], reason, detail);
        }
    }

    private async Task<IReadOnlyList<RecordIngestOutcome>> StoreAsync(
        IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests, CreatorClaimCheck[] creators, DeliveredFileVerdict[] deliveredFiles,
        RecordIngestOutcome?[] checkedOutcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcomes = (RecordIngestOutcome?[])checkedOutcomes.Clone();
        var pending = Enumerable.Range(0, records.Count).Where(i => outcomes[i] is null).ToList();
        if (pending.Count == 0)
        {
            return outcomes!;
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var sequencesByNode = pending.GroupBy(i => records[i].Record.Node)
            .ToDictionary(g => g.Key, g => g.Select(i => (long)records[i].Record.Sequence).Distinct().ToList());
        var holders = await ExistingRecordsQuery.FindHoldersAsync(db, sequencesByNode, cancellationToken);
        var proofIds = pending.Where(i => creators[i].ProofId is not null).Select(i => creators[i].ProofId).Distinct().ToList();
        var proofHolders = proofIds.Count == 0
            ? []
            : await db.Records.AsNoTracking().Where(r => proofIds.Contains(r.CreatorProofId))
                .ToDictionaryAsync(r => r.CreatorProofId!.Value, r => r.Digest, cancellationToken);

        var inserted = new List<StoredRecord>(pending.Count);
        var conflicts = new List<(int Index, Bytes32 ConflictsWith)>();
        var resent = new List<int>();
        foreach (var i in pending)
        {
            var (record, digest) = (records[i].Record, digests[i]);
            var key = (record.Node, (long)record.Sequence);
            var held = holders.TryGetValue(key, out var holder);
            if (held && holder == digest)
            {
                // Stored before, or earlier in this request: the same record, accepted once.
                outcomes[i] = new RecordIngestOutcome(digest, RecordIngestStatus.AlreadyStored, NotKept: NotKept(deliveredFiles[i].Problem));
                if (deliveredFiles[i].Valid is not null)
                {
                    resent.Add(i);
                }
            }
            else if (held)
            {
                conflicts.Add((i, holder));
                outcomes[i] = Refuse(digest, RecordRefusalReason.SequenceConflict, string.Create(CultureInfo.InvariantCulture,
                    $"The node {record.Node} already has the record {holder} with sequence {record.Sequence}; this record {digest} differs from it."),
                    holder);
            }
            else if (creators[i].ProofId is { } proofId && proofHolders.TryGetValue(proofId, out var proofHolder) && proofHolder != digest)
            {
                outcomes[i] = Refuse(digest, RecordRefusalReason.CreatorProofReplayed,
                    $"The creator proof {proofId} of this record {digest} already names the creator of the record {proofHolder}: a request nonce or a voucher proves one record.");
            }
            else
            {
                var row = StoredRecord.From(records[i], digest, now, creators[i]);
                if (deliveredFiles[i].Valid is { } statement)
                {
                    row.DeliveredFileHash = statement.File.FileHash;
                    row.DeliveredFileSignature = statement.Signature.ToArray();
                }

                inserted.Add(row);
                holders[key] = digest;
                if (creators[i].ProofId is { } newProofId)
                {
                    proofHolders[newProofId] = digest;
                }

                outcomes[i] = new RecordIngestOutcome(digest, RecordIngestStatus.Stored, NotKept: NotKept(deliveredFiles[i].Problem));
            }
        }

        foreach (var (i, problem) in await DeliveredFileCheck.CompareResentAsync(db, resent, digests, deliveredFiles, inserted, cancellationToken))
        {
            outcomes[i] = outcomes[i]! with { NotKept = NotKept(problem) };
        }

        var refused = await NewRefusalsAsync(db, records, digests, conflicts, now, cancellationToken);
        if (inserted.Count > 0 || refused.Count > 0)
        {
            await InsertInOneTransactionAsync(db, inserted, refused, cancellationToken);
        }

        foreach (var (index, holder) in conflicts)
        {
            LogConflict(records[index].Record.Node.ToString(), (long)records[index].Record.Sequence, digests[index].ToString(), holder.ToString());
        }

        return outcomes!;
    }

    // The accepted records and the audit rows of the refused ones commit together or not at all.
    private static async Task InsertInOneTransactionAsync(
        LedgerDbContext db, List<StoredRecord> inserted, List<RefusedRecord> refused, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await StoredRecordBulkInsert.InsertAsync(db, inserted, cancellationToken);
        if (refused.Count > 0)
        {
            // Rare (a node reusing a sequence number): the tracked path is fine here.
            db.RefusedRecords.AddRange(refused);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    // A node retrying a conflicting record must not fill the audit table: one row per refused digest.
    private static async Task<List<RefusedRecord>> NewRefusalsAsync(
        LedgerDbContext db, IReadOnlyList<SignedProvenanceRecord> records, Bytes32[] digests,
        List<(int Index, Bytes32 ConflictsWith)> conflicts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (conflicts.Count == 0)
        {
            return [];
        }

        var refusedDigests = conflicts.Select(c => digests[c.Index]).Distinct().ToList();
        var known = (await db.RefusedRecords.AsNoTracking().Where(r => refusedDigests.Contains(r.Digest)).Select(r => r.Digest)
            .ToListAsync(cancellationToken)).ToHashSet();
        var rows = new List<RefusedRecord>();
        foreach (var (index, holder) in conflicts)
        {
            if (known.Add(digests[index]))
            {
                var record = records[index].Record;
                rows.Add(new RefusedRecord
                {
                    Digest = digests[index],
                    Node = record.Node,
                    NodeSequence = (long)record.Sequence,
                    ConflictsWith = holder,
                    Reason = RecordRefusalReasons.ProblemType(RecordRefusalReason.SequenceConflict),
                    SignedRecordJson = JsonSerializer.Serialize(records[index] with { ManifestStore = null }, AuditJson),
                    ReceivedAt = now,
                });
            }
        }

        return rows;
    }

    private static IReadOnlyList<RecordProblem>? NotKept(RecordProblem? problem) => problem is null ? null : [problem];

    private static RecordIngestOutcome Refuse(Bytes32 digest, RecordRefusalReason reason, string detail, Bytes32? conflictsWith = null) =>
        new(digest, RecordIngestStatus.Refused, new RecordRefusal(reason, detail, conflictsWith));

    [LoggerMessage(LogLevel.Information, "Ingest: record signatures are recovered with the native libsecp256k1.")]
    private partial void LogRecoveryNative();

    [LoggerMessage(LogLevel.Warning, "Ingest: record signatures are recovered with the C# port NBitcoin.Secp256k1 (about four times slower than the native libsecp256k1): {Reason}")]
    private partial void LogRecoveryPort(string reason);

    [LoggerMessage(LogLevel.Debug, "Ingest: another request stored some of these records first (attempt {Attempt}); checking again.")]
    private partial void LogRaceLost(int attempt);

    [LoggerMessage(LogLevel.Warning, "Ingest: node {Node} signed two records with sequence {Sequence}: refused {Refused}, keeping {Stored}.")]
    private partial void LogConflict(string node, long sequence, string refused, string stored);
}
