using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>
/// Carries <see cref="ChainRevocation"/>s onto the stored records: at once when the indexer reads the
/// event and the record is there, and on every later poll for revocations whose record arrived
/// after them (an operator may revoke before the node's outbox delivered). Idempotent, so replicas
/// may run it together and a crash between the two writes only repeats it.
/// </summary>
internal static class RevocationSweep
{
    /// <summary>Marks the record revoked if the ledger holds it; true when it did.</summary>
    public static async Task<bool> ApplyAsync(LedgerDbContext db, ChainRevocation revocation, CancellationToken cancellationToken) =>
        await db.Records.Where(r => r.Digest == revocation.Digest).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.RevokedAt, revocation.RevokedAt).SetProperty(r => r.RevocationReason, revocation.Reason),
            cancellationToken) > 0;

    /// <summary>Applies the pending revocations whose record has arrived since; returns how many.</summary>
    public static async Task<int> ApplyArrivedAsync(LedgerDbContext db, CancellationToken cancellationToken)
    {
        // Only the revocations whose record now exists: one pass over the (few) pending ones, one probe each.
        var arrived = await db.Revocations
            .Where(v => !v.Applied && db.Records.Any(r => r.Digest == v.Digest))
            .ToListAsync(cancellationToken);
        foreach (var revocation in arrived)
        {
            revocation.Applied = await ApplyAsync(db, revocation, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return arrived.Count;
    }
}
