using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>What looking up a record's proof found.</summary>
public enum RecordProofStatus
{
    /// <summary>The record is batched; the proof is there.</summary>
    Found,

    /// <summary>No record has that digest.</summary>
    UnknownRecord,

    /// <summary>The record is stored but waits for its batch: no proof yet.</summary>
    NotBatched,
}

/// <summary>The answer of <see cref="RecordProofs.FindAsync"/>.</summary>
/// <param name="Status">What was found.</param>
/// <param name="Proof">The proof when <see cref="RecordProofStatus.Found"/>.</param>
public sealed record RecordProofLookup(RecordProofStatus Status, RecordProof? Proof);

/// <summary>
/// Per-record Merkle inclusion proofs, as stored when the record was batched: the one place that
/// turns a stored record and its batch into the <see cref="RecordProof"/> every response carries.
/// </summary>
public static class RecordProofs
{
    /// <summary>
    /// The proof of <paramref name="record"/> in <paramref name="batch"/> (its batch, however it was
    /// loaded); null while the record waits for its batch. The proof is served as stored, not
    /// recomputed: the reconciliation is what checks stored proofs against roots.
    /// </summary>
    public static RecordProof? Of(StoredRecord record, AnchorBatch? batch)
    {
        ArgumentNullException.ThrowIfNull(record);
        return batch is null || record.LeafIndex is not { } leafIndex
            ? null
            : new RecordProof(
                record.Digest, MerkleTree.LeafOf(record.Digest), record.ProofHashes(), batch.Root, leafIndex,
                batch.FirstSequence + leafIndex, batch.ToApi());
    }

    /// <summary>The stored proof of the record with <paramref name="digest"/>, with its batch.</summary>
    public static async Task<RecordProofLookup> FindAsync(LedgerDbContext db, Bytes32 digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = await db.Records.AsNoTracking().Include(r => r.Batch)
            .FirstOrDefaultAsync(r => r.Digest == digest, cancellationToken);
        if (record is null)
        {
            return new RecordProofLookup(RecordProofStatus.UnknownRecord, null);
        }

        return Of(record, record.Batch) is { } proof
            ? new RecordProofLookup(RecordProofStatus.Found, proof)
            : new RecordProofLookup(RecordProofStatus.NotBatched, null);
    }
}
