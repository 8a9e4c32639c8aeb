using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Writes checked records: finds the stored records holding their (node, sequence) pairs and creator proofs, decides
/// stored, already stored (idempotent), sequence conflict or replayed proof, and inserts the new rows
/// (<see cref="StoredRecordBulkInsert"/>) and the audit rows of new conflicts in one transaction. Changes when the way
/// records are stored changes. The unique indexes still decide a race with another request or replica: the insert then
/// fails with a unique violation and the caller checks again. Thread-safe.
/// </summary>
internal sealed partial class RecordIngestStore(IDbContextFactory<LedgerDbContext> databases, ILogger logger)
{
    private static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web);

    private readonly IDbContextFactory<LedgerDbContext> _databases = databases;
    private readonly ILogger _logger = logger;

    /// <summary>
    /// Stores the records no check refused (<paramref name="checkedOutcomes"/> null), in one transaction with the audit rows of
    /// new conflicts, and returns every record's outcome.
    /// </summary>
    /// <exception cref="DbException">When the database fails, a lost race included (a unique violation: the caller checks again).</exception>
    public async Task<IReadOnlyList<RecordIngestOutcome>> StoreAsync(
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
                outcomes[i] = new RecordIngestOutcome(digest, RecordIngestStatus.AlreadyStored, NotKept: RecordIngestOutcome.NotKeptBecause(deliveredFiles[i].Problem));
                if (deliveredFiles[i].Valid is not null)
                {
                    resent.Add(i);
                }
            }
            else if (held)
            {
                conflicts.Add((i, holder));
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.SequenceConflict, string.Create(CultureInfo.InvariantCulture,
                    $"The node {record.Node} already has the record {holder} with sequence {record.Sequence}; this record {digest} differs from it."),
                    holder);
            }
            else if (creators[i].ProofId is { } proofId && proofHolders.TryGetValue(proofId, out var proofHolder) && proofHolder != digest)
            {
                outcomes[i] = RecordIngestOutcome.Refused(digest, RecordRefusalReason.CreatorProofReplayed,
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

                outcomes[i] = new RecordIngestOutcome(digest, RecordIngestStatus.Stored, NotKept: RecordIngestOutcome.NotKeptBecause(deliveredFiles[i].Problem));
            }
        }

        foreach (var (i, problem) in await DeliveredFileCheck.CompareResentAsync(db, resent, digests, deliveredFiles, inserted, cancellationToken))
        {
            outcomes[i] = outcomes[i]! with { NotKept = RecordIngestOutcome.NotKeptBecause(problem) };
        }

        var refused = await NewRefusalsAsync(db, records, digests, conflicts, now, cancellationToken);
        if (inserted.Count > 0 || refused.Count > 0)
        {
            await InsertInOneTransactionAsync(db, inserted, refused, cancellationToken);
        }

        foreach (var (index, holder) in conflicts)
        {
            LogConflict(_logger, records[index].Record.Node.ToString(), (long)records[index].Record.Sequence, digests[index].ToString(), holder.ToString());
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

    [LoggerMessage(LogLevel.Warning, "Ingest: node {Node} signed two records with sequence {Sequence}: refused {Refused}, keeping {Stored}.")]
    private static partial void LogConflict(ILogger logger, string node, long sequence, string refused, string stored);
}
