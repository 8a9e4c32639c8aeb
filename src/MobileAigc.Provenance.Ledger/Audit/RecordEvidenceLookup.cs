using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// The evidence of named records, as the JSON export carries it (<see cref="RecordQuery.StreamWithEvidenceAsync"/>):
/// the public bulk read a node pulls its own records' proofs with. Only records whose batch is anchored on a contract
/// the ledger knows have evidence; the others are left out, and a digest the ledger holds no record of is named as
/// unknown.
/// </summary>
public static class RecordEvidenceLookup
{
    /// <summary>
    /// The evidence of those of <paramref name="digests"/> that are anchored, and those the ledger does not hold: one
    /// indexed query, at most one row per digest.
    /// </summary>
    /// <param name="db">The ledger database.</param>
    /// <param name="digests">The records' digests (duplicates count once).</param>
    /// <param name="deploymentOf">The deployment of a batch's contract; null for a contract the ledger does not know (no evidence then).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<RecordEvidenceResponse> FindAsync(
        LedgerDbContext db, IReadOnlyCollection<Bytes32> digests, Func<EvmAddress?, AnchoringDeployment?> deploymentOf,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(deploymentOf);
        var wanted = digests.Distinct().ToList();
        var rows = await db.Records.AsNoTracking().Include(r => r.Batch)
            .Where(r => wanted.Contains(r.Digest))
            .ToListAsync(cancellationToken);
        var evidence = new List<RecordEvidence>(rows.Count);
        var unknown = wanted.ToHashSet();
        foreach (var row in rows)
        {
            unknown.Remove(row.Digest);
            if (row.Batch is { State: AnchorBatchState.Anchored } && deploymentOf(row.Batch.LedgerContract) is { } deployment
                && RecordProofs.Of(row, row.Batch) is { } proof
                && RecordQuery.SignedRecordOf(row) is { } signed)
            {
                evidence.Add(new RecordEvidence(signed, proof, deployment));
            }
        }

        return new RecordEvidenceResponse(evidence, [.. unknown]);
    }
}
