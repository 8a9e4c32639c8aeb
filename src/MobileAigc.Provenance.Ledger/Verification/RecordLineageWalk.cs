using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Walks a stored record's chain of derivations up through the parents its version 2 and 3 records name, one indexed
/// lookup per ancestor, at most <see cref="LineageLimits.MaxDepth"/>.
/// </summary>
/// <remarks>
/// A record's digest covers its parent's digest, so a signed chain cannot loop; the walk still stops at a
/// repeated digest (the database was altered) and at the depth bound (a long honest chain or a node that
/// chained records to inflate answers). Every ancestor's stored parent is re-hashed against its signed
/// <see cref="ProvenanceRecord.Extensions"/>, as the signature is re-checked elsewhere.
/// </remarks>
public static class RecordLineageWalk
{
    /// <summary>The lineage above <paramref name="record"/>; null when it names no parent.</summary>
    /// <exception cref="ArgumentNullException">When an argument is null.</exception>
    public static async Task<RecordLineage?> TraceAsync(LedgerDbContext db, StoredRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(record);
        if (record.ParentRecord is not { } next)
        {
            return null;
        }

        if (!record.ExtensionsHold())
        {
            return new RecordLineage([], LineageEnd.AlteredExtensions,
                $"The stored parent {next} does not hash to the record's signed extensions commitment: the ledger's copy was altered.");
        }

        var seen = new HashSet<Bytes32> { record.Digest };
        var ancestors = new List<LineageAncestor>();
        while (true)
        {
            var generation = ancestors.Count + 1;
            if (generation > LineageLimits.MaxDepth)
            {
                return new RecordLineage(ancestors, LineageEnd.DepthLimit, Format(
                    $"The chain has more than {LineageLimits.MaxDepth} generations; only the nearest {LineageLimits.MaxDepth} are listed."));
            }

            if (!seen.Add(next))
            {
                return new RecordLineage(ancestors, LineageEnd.Cycle, Format(
                    $"Generation {generation} names {next}, a record already in this chain: the ledger's copy was altered."));
            }

            var parent = await db.Records.AsNoTracking().FirstOrDefaultAsync(r => r.Digest == next, cancellationToken).ConfigureAwait(false);
            if (parent is null)
            {
                ancestors.Add(new LineageAncestor(generation, next, false, null, null, null, null, false));
                return new RecordLineage(ancestors, LineageEnd.UnknownParent, Format(
                    $"Generation {generation}, {next}, is not a record of this ledger: the claim rests on its child's node alone."));
            }

            ancestors.Add(new LineageAncestor(
                generation, parent.Digest, true, parent.ContentHash, parent.Node, parent.ModelHash,
                DateTimeOffset.FromUnixTimeSeconds(parent.Timestamp), parent.RevokedAt is not null));
            if (parent.ParentRecord is not { } grandparent)
            {
                return new RecordLineage(ancestors, LineageEnd.Origin, Format(
                    $"Derived through {ancestors.Count} generation(s) from {parent.Digest}, which was generated from a prompt alone."));
            }

            if (!parent.ExtensionsHold())
            {
                return new RecordLineage(ancestors, LineageEnd.AlteredExtensions, Format(
                    $"Generation {generation}'s stored parent does not hash to its signed extensions commitment: the ledger's copy was altered."));
            }

            next = grandparent;
        }
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
