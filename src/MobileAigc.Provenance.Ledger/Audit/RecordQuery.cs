using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// An auditor's query over stored records: filters, and keyset pagination on
/// <see cref="StoredRecord.Id"/> (ingest order) with an opaque cursor. Keyset rather than offset
/// pagination: each page costs an index seek whatever its depth, and records ingested while an
/// auditor pages land after the cursor, so pages neither repeat nor skip the records already there.
/// </summary>
public sealed record RecordQuery
{
    /// <summary>Only records of this model. Default: any.</summary>
    public Bytes32? Model { get; init; }

    /// <summary>Only records signed by this node. Default: any.</summary>
    public EvmAddress? Node { get; init; }

    /// <summary>Only records of this creator address. Default: any.</summary>
    public EvmAddress? Creator { get; init; }

    /// <summary>Only records whose signed timestamp is at or after this (Unix seconds). Default: no bound.</summary>
    public long? From { get; init; }

    /// <summary>Only records whose signed timestamp is at or before this (Unix seconds). Default: no bound.</summary>
    public long? To { get; init; }

    /// <summary>Only records in this state. Default: any.</summary>
    public AuditRecordState? State { get; init; }

    /// <summary>Start after this record id (decoded from the cursor). Default: from the first record.</summary>
    public long? After { get; init; }

    /// <summary>Records per page, 1 to <see cref="LedgerAudit.MaxPageSize"/>. Default: <see cref="LedgerAudit.DefaultPageSize"/>.</summary>
    public int PageSize { get; init; } = LedgerAudit.DefaultPageSize;

    /// <summary>
    /// Parses the query string of <c>GET api/audit/records</c> (and of the export, which ignores
    /// <paramref name="limit"/>). Every argument may be null or empty for "no filter".
    /// </summary>
    /// <param name="model">A 0x-prefixed 32-byte model hash.</param>
    /// <param name="node">A node address.</param>
    /// <param name="creator">A creator address.</param>
    /// <param name="from">Unix seconds or an ISO 8601 date-time with offset, inclusive.</param>
    /// <param name="to">Unix seconds or an ISO 8601 date-time with offset, inclusive.</param>
    /// <param name="state"><c>pending</c>, <c>anchoring</c>, <c>anchored</c> or <c>revoked</c> (any case).</param>
    /// <param name="cursor">The <c>nextCursor</c> of a previous page.</param>
    /// <param name="limit">The page size.</param>
    /// <exception cref="AuditQueryException">When any of them is malformed or <paramref name="from"/> is after <paramref name="to"/>.</exception>
    public static RecordQuery Parse(
        string? model = null, string? node = null, string? creator = null, string? from = null, string? to = null,
        string? state = null, string? cursor = null, string? limit = null)
    {
        var query = new RecordQuery
        {
            Model = AuditArguments.Hash("model", model),
            Node = AuditArguments.Address("node", node),
            Creator = AuditArguments.Address("creator", creator),
            From = AuditArguments.Time("from", from),
            To = AuditArguments.Time("to", to),
            State = string.IsNullOrEmpty(state) ? null
                : Enum.GetValues<AuditRecordState>().Select(v => (AuditRecordState?)v)
                    .FirstOrDefault(v => string.Equals(v.ToString(), state, StringComparison.OrdinalIgnoreCase))
                    ?? throw new AuditQueryException("state", $"state must be pending, anchoring, anchored or revoked; got '{state}'."),
            After = AuditCursor.Decode(AuditCursor.Records, cursor),
            PageSize = AuditPageSize.Parse(limit),
        };
        if (query.From > query.To)
        {
            throw new AuditQueryException("from", $"from ({query.From}) is after to ({query.To}).");
        }

        return query;
    }

    /// <summary>One page of matching records and the cursor of the next (null on the last page).</summary>
    public async Task<AuditPage<AuditRecord>> ReadPageAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        // One more than the page: whether it exists says if there is a next page, without a count.
        var rows = await Rows(db).Take(PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(PageSize).Select(r => r.ToAudit()).ToList();
        var next = rows.Count > PageSize ? AuditCursor.Encode(AuditCursor.Records, items[^1].Id) : null;
        return new AuditPage<AuditRecord>(items, next);
    }

    /// <summary>
    /// Every matching record after the cursor, in id order, read from the database as the caller
    /// consumes them (no tracking, nothing buffered): the export's source. <see cref="PageSize"/> is ignored.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> StreamAsync(LedgerDbContext db, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        await foreach (var row in Rows(db).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return row.ToAudit();
        }
    }

    /// <summary>
    /// As <see cref="StreamAsync"/>, each anchored record carrying its <see cref="AuditRecord.Evidence"/> (signed
    /// record, stored proof, batch and deployment): the JSON export's source. <paramref name="deploymentOf"/> names the
    /// deployment of a batch's contract (null for a contract the ledger does not know: no evidence then).
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> StreamWithEvidenceAsync(
        LedgerDbContext db, Func<EvmAddress?, AnchoringDeployment?> deploymentOf, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deploymentOf);
        await foreach (var row in Rows(db, withBatch: true).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var audit = row.ToAudit();
            yield return row.Batch is { State: AnchorBatchState.Anchored } batch
                && deploymentOf(batch.LedgerContract) is { } deployment
                && RecordProofs.Of(row.Record, batch) is { } proof
                && SignedRecordOf(row.Record) is { } signed
                ? audit with { Evidence = new RecordEvidence(signed, proof, deployment) }
                : audit;
        }
    }

    // Ingest stores only well-formed signatures; a row altered since is exported without evidence rather than
    // cutting the export off (a verifier would refuse that evidence anyway).
    internal static SignedProvenanceRecord? SignedRecordOf(StoredRecord record)
    {
        try
        {
            return record.ToSignedRecord();
        }
        catch (Exception e) when (e is InvalidSignatureException or System.Text.Json.JsonException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>The filtered rows in id order, after the cursor; with each record's whole batch when <paramref name="withBatch"/>.</summary>
    internal IQueryable<RecordRow> Rows(LedgerDbContext db, bool withBatch = false)
    {
        var records = db.Records.AsNoTracking();
        if (After is { } after)
        {
            records = records.Where(r => r.Id > after);
        }

        if (Model is { } model)
        {
            records = records.Where(r => r.ModelHash == model);
        }

        if (Node is { } node)
        {
            records = records.Where(r => r.Node == node);
        }

        if (Creator is { } creator)
        {
            records = records.Where(r => r.Creator == creator);
        }

        if (From is { } from)
        {
            records = records.Where(r => r.Timestamp >= from);
        }

        if (To is { } to)
        {
            records = records.Where(r => r.Timestamp <= to);
        }

        records = State switch
        {
            null => records,
            AuditRecordState.Revoked => records.Where(r => r.RevokedAt != null),
            AuditRecordState.Pending => records.Where(r => r.RevokedAt == null && r.BatchId == null),
            AuditRecordState.Anchoring => records.Where(r => r.RevokedAt == null && r.BatchId != null && r.Batch!.State != AnchorBatchState.Anchored),
            AuditRecordState.Anchored => records.Where(r => r.RevokedAt == null && r.BatchId != null && r.Batch!.State == AnchorBatchState.Anchored),
            _ => throw new InvalidOperationException($"Unknown state {State}."),
        };

        var ordered = records.OrderBy(r => r.Id);
        return withBatch
            ? ordered.Select(r => new RecordRow(
                r,
                r.BatchId == null ? null : r.Batch!.State,
                r.BatchId == null ? null : r.Batch!.FirstSequence,
                r.Batch))
            : ordered.Select(r => new RecordRow(
                r,
                r.BatchId == null ? null : r.Batch!.State,
                r.BatchId == null ? null : r.Batch!.FirstSequence));
    }
}
