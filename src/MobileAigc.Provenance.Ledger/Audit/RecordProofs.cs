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
public sealed record RecordProofLookup(RecordProofStatus Status, AuditRecordProof? Proof);

/// <summary>Per-record Merkle inclusion proofs, as stored when the record was batched.</summary>
public static class RecordProofs
{
    /// <summary>
    /// The stored proof of the record with <paramref name="digest"/>. The proof is served as
    /// stored, not recomputed: the reconciliation is what checks stored proofs against roots.
    /// </summary>
    public static async Task<RecordProofLookup> FindAsync(LedgerDbContext db, Bytes32 digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var record = await db.Records.AsNoTracking().Include(r => r.Batch)
            .FirstOrDefaultAsync(r => r.Digest == digest, cancellationToken);
        if (record is null)
        {
            return new RecordProofLookup(RecordProofStatus.UnknownRecord, null);
        }

        if (record.Batch is not { } batch || record.LeafIndex is not { } leafIndex || record.Proof is null)
        {
            return new RecordProofLookup(RecordProofStatus.NotBatched, null);
        }

        return new RecordProofLookup(RecordProofStatus.Found, new AuditRecordProof(
            record.Digest, MerkleTree.LeafOf(record.Digest), record.ProofHashes(), batch.Root, leafIndex,
            batch.FirstSequence + leafIndex, batch.ToAudit()));
    }
}
