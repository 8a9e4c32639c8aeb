using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// Finds the stored records that hold a batch's (node, sequence) pairs, with their digests:
/// enough to tell "already stored" (same digest) from "conflicting" (another digest). A digest
/// covers the node and the sequence, so a stored record with a request record's digest holds
/// that record's pair too: looking up the pairs alone finds both cases.
/// </summary>
/// <remarks>
/// One query per node of the batch (an edge node sends its own records: usually one), its
/// sequences passed as one array parameter (<c>json_each</c> on SQLite, <c>= ANY</c> on
/// PostgreSQL) and served by the unique (node, sequence) index. EF Core 10 would otherwise
/// expand a list into one SQL parameter per value, naming each by a search that is quadratic
/// in the list's length; with a thousand sequences per request that cost more CPU than the
/// signature checks.
/// </remarks>
internal static class ExistingRecordsQuery
{
    public static async Task<Dictionary<(EvmAddress Node, long Sequence), Bytes32>> FindHoldersAsync(
        LedgerDbContext db, IReadOnlyDictionary<EvmAddress, List<long>> sequencesByNode, CancellationToken cancellationToken)
    {
        var holders = new Dictionary<(EvmAddress Node, long Sequence), Bytes32>();
        foreach (var (node, sequences) in sequencesByNode)
        {
            // The node is not read back: building its checksummed address per row would cost a keccak256 each.
            var rows = await db.Records.AsNoTracking()
                .Where(r => r.Node == node && EF.Parameter(sequences).Contains(r.NodeSequence))
                .Select(r => new { r.NodeSequence, r.Digest })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                holders[(node, row.NodeSequence)] = row.Digest;
            }
        }

        return holders;
    }
}
