using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Decides whether the ledger keeps the <see cref="SignedDeliveredFile"/> statement sent with a record
/// (<see cref="SignedProvenanceRecord.DeliveredFile"/>): the hash by which exact lookup finds the record's
/// file as delivered, credentials included. A statement is kept only when the record's own node signed it in
/// the ledger's domain, it names that record, and the record is stored now: a statement for a record stored
/// before is never taken, or a node could later claim a file for an old record, whose place in anchoring
/// order would put it ahead of the file's real record. A statement not kept never refuses its record.
/// </summary>
/// <remarks>Immutable and thread-safe; <see cref="Check"/> may run in parallel for the records of a request.</remarks>
internal sealed class DeliveredFileCheck(DeliveredFileVerifier verifier)
{
    /// <summary>
    /// Checks the statement sent with <paramref name="signed"/>, whose EIP-712 digest is <paramref name="digest"/>,
    /// before anything is stored.
    /// </summary>
    public DeliveredFileVerdict Check(SignedProvenanceRecord signed, Bytes32 digest)
    {
        ArgumentNullException.ThrowIfNull(signed);
        if (signed.DeliveredFile is not { File: not null, Signature: not null } statement)
        {
            return signed.DeliveredFile is null ? default : Invalid(signed.DeliveredFile, "The delivered-file statement lacks its file or its signature.");
        }

        if (statement.File.Record != digest)
        {
            return Invalid(statement, $"The delivered-file statement names the record {statement.File.Record}, not this record {digest}; it was not kept.");
        }

        if (verifier.IsSignedBy(statement, signed.Record.Node))
        {
            return new DeliveredFileVerdict(statement, null);
        }

        return Invalid(statement, verifier.TryRecoverSigner(statement, out var signer)
            ? $"The delivered-file statement is signed by {signer}, not by the record's node {signed.Record.Node} (or in another domain, or changed after signing); it was not kept."
            : "The delivered-file statement's signature recovers to no public key; it was not kept.");
    }

    /// <summary>
    /// What to report for the valid statements sent again with records already stored (<paramref name="resent"/>,
    /// indexes into the request): nothing for the statement kept, a <see cref="RecordProblemTypes.DeliveredFileConflict"/>
    /// for any other or for a record kept without one. A statement sent with a stored record is never taken.
    /// </summary>
    /// <param name="db">The ledger database, read once (by the digests' unique index) when a record was stored before this request.</param>
    /// <param name="resent">The request's indexes of the records already stored whose statement checked.</param>
    /// <param name="digests">The request's record digests.</param>
    /// <param name="verdicts">The request's statement verdicts (<see cref="Check"/>).</param>
    /// <param name="inserted">The rows this request inserts: a record stored earlier in the same request is not in the database yet.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The problem of each resent index; null when there is nothing to report. Kept hashes never change once stored, so the answer holds whatever commits after it.</returns>
    public static async Task<IReadOnlyList<(int Index, RecordProblem? Problem)>> CompareResentAsync(
        LedgerDbContext db, IReadOnlyList<int> resent, IReadOnlyList<Bytes32> digests, IReadOnlyList<DeliveredFileVerdict> verdicts,
        IReadOnlyList<StoredRecord> inserted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(resent);
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(inserted);
        if (resent.Count == 0)
        {
            return [];
        }

        var storedNow = inserted.ToDictionary(r => r.Digest, r => r.DeliveredFileHash);
        var before = resent.Select(i => digests[i]).Where(d => !storedNow.ContainsKey(d)).Distinct().ToList();
        var kept = before.Count == 0
            ? []
            : await db.Records.AsNoTracking().Where(r => before.Contains(r.Digest))
                .ToDictionaryAsync(r => r.Digest, r => r.DeliveredFileHash, cancellationToken);
        return [.. resent.Select(i => (i, Compare(verdicts[i].Valid!, storedNow.TryGetValue(digests[i], out var now) ? now : kept.GetValueOrDefault(digests[i]))))];
    }

    private static RecordProblem? Compare(SignedDeliveredFile statement, Bytes32? kept)
    {
        var (record, hash) = (statement.File.Record, statement.File.FileHash);
        return kept switch
        {
            { } same when same == hash => null,
            { } other => new RecordProblem(RecordProblemTypes.DeliveredFileConflict,
                $"The record {record} is kept with the delivered file {other}; the statement of {hash} was not kept (a record's delivered file is taken only when the record is first stored)."),
            null => new RecordProblem(RecordProblemTypes.DeliveredFileConflict,
                $"The record {record} was stored before without a delivered-file statement; the statement of {hash} was not kept (a record's delivered file is taken only when the record is first stored)."),
        };
    }

    private static DeliveredFileVerdict Invalid(SignedDeliveredFile statement, string detail) =>
        new(statement, new RecordProblem(RecordProblemTypes.InvalidDeliveredFile, detail));
}

/// <summary>The verdict on the statement sent with one record.</summary>
/// <param name="Statement">The statement sent; null when none was.</param>
/// <param name="Problem">Why it cannot be kept (<see cref="RecordProblemTypes.InvalidDeliveredFile"/>); null when it checked.</param>
internal readonly record struct DeliveredFileVerdict(SignedDeliveredFile? Statement, RecordProblem? Problem)
{
    /// <summary>The statement, when one was sent and it is the record node's statement about that record.</summary>
    public SignedDeliveredFile? Valid => Problem is null ? Statement : null;
}
