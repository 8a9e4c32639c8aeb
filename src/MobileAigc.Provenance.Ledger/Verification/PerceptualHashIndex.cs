using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>One hit of <see cref="PerceptualHashIndex.Search"/>.</summary>
/// <param name="RecordId">The record's row id (<c>StoredRecord.Id</c>).</param>
/// <param name="Distance">The Hamming distance to the query, 0 to 256.</param>
public readonly record struct PerceptualHashMatch(long RecordId, int Distance);

/// <summary>One hit of <see cref="PerceptualHashIndex.SearchAny"/>: a record and the query that came nearest it.</summary>
/// <param name="RecordId">The record's row id.</param>
/// <param name="Distance">The Hamming distance to the nearest of the queries.</param>
/// <param name="Query">The index of that query in the list searched.</param>
public readonly record struct NearestOfAnyMatch(long RecordId, int Distance, int Query);

/// <summary>
/// Every record's 256-bit perceptual hash in memory, searched exactly (no approximation) for the
/// hashes within a Hamming distance of a query.
/// </summary>
/// <remarks>
/// <para>Layout: each hash is four <see cref="ulong"/>s side by side in one array, and the record ids in a parallel array.
/// Searches within 47 bits (the match threshold is 31) go through multi-index tables (<see cref="HammingMultiIndex"/>: 16
/// tables of 16-bit substrings) over all but the most recent hashes, and a linear XOR + POPCNT pass over those recent ones
/// (fewer than 1/16 of the whole, or <see cref="MinimumIndexed"/>); wider searches are one linear pass. Either way the answer
/// is exactly the linear scan's. Measured with BenchmarkDotNet (<c>PerceptualHashIndexBenchmarks</c>, docs/performance.md):
/// a million hashes, radius 31, a few tens of microseconds instead of a few milliseconds.</para>
/// <para>Memory: 40 bytes per hash for the hashes and ids and 64 for the tables, about 110 MB per million (see
/// <see cref="Bytes"/>), more briefly while the arrays grow or the tables are rebuilt. The tables are rebuilt from scratch (a
/// counting sort, about a tenth of a second per million on one core) when the recent hashes reach 1/16 of the indexed ones,
/// so an add costs a constant amortised amount.</para>
/// <para>Nothing here knows how the hash was computed: another 256-bit hash compared by Hamming distance (PDQ) can use its
/// own instance.</para>
/// <para>Thread safety: any number of concurrent searches and one writer at a time (adds are
/// serialised by a lock). Searches never lock: they read an immutable snapshot (arrays, count and tables).
/// An add writes past the published count and then publishes a new snapshot, so a search sees
/// either the old or the new set, never a half-written hash.</para>
/// </remarks>
public sealed class PerceptualHashIndex
{
    /// <summary>Below this many hashes there are no tables: a linear pass over so few is as fast. 8,192.</summary>
    public const int MinimumIndexed = 8_192;

    private const int Words = Bytes32.Length / sizeof(ulong);
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = new([], [], 0, null);

    /// <summary>How many hashes the index holds.</summary>
    public int Count => _snapshot.Count;

    /// <summary>The bytes the index holds now: hash and id arrays (with their spare capacity) and tables.</summary>
    public long Bytes
    {
        get
        {
            var snapshot = _snapshot;
            return (snapshot.Hashes.LongLength * sizeof(ulong)) + (snapshot.Ids.LongLength * sizeof(long)) + (snapshot.Tables?.Bytes ?? 0);
        }
    }

    /// <summary>
    /// Adds a record's hash. Zero hashes (text records, which have none) are ignored and so are ids
    /// already added last (callers re-reading an overlapping page must filter earlier duplicates themselves).
    /// </summary>
    /// <returns>True when added.</returns>
    public bool Add(long recordId, Bytes32 hash)
    {
        if (hash.IsZero)
        {
            return false;
        }

        lock (_writeLock)
        {
            var current = _snapshot;
            var (hashes, ids) = (current.Hashes, current.Ids);
            if (current.Count == ids.Length)
            {
                var capacity = Math.Max(1_024, ids.Length * 2);
                Array.Resize(ref ids, capacity);
                Array.Resize(ref hashes, capacity * Words);
            }

            Pack(hash, hashes.AsSpan(current.Count * Words, Words));
            ids[current.Count] = recordId;
            var count = current.Count + 1;
            var indexed = current.Tables?.Count ?? 0;
            var tables = count >= MinimumIndexed && count - indexed >= Math.Max(MinimumIndexed, indexed / 16)
                ? HammingMultiIndex.Build(hashes, count)
                : current.Tables;
            _snapshot = new Snapshot(hashes, ids, count, tables);
            return true;
        }
    }

    /// <summary>
    /// The hashes within <paramref name="maxDistance"/> of <paramref name="query"/>, nearest first
    /// (ties by lower record id: the earlier record), at most <paramref name="maxResults"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="maxDistance"/> is not 0 to 256 or <paramref name="maxResults"/> is below 1.</exception>
    public IReadOnlyList<PerceptualHashMatch> Search(Bytes32 query, int maxDistance, int maxResults = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDistance);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxDistance, Bytes32.Length * 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);

        var snapshot = _snapshot;
        Span<ulong> q = stackalloc ulong[Words];
        Pack(query, q);
        var found = new List<PerceptualHashMatch>();
        var scanFrom = 0;
        if (snapshot.Tables is { } tables && HammingMultiIndex.Covers(maxDistance))
        {
            tables.Search(snapshot.Hashes, snapshot.Ids, q, maxDistance, found);
            scanFrom = tables.Count;
        }

        Scan(snapshot, scanFrom, q, maxDistance, found);
        found.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.RecordId.CompareTo(b.RecordId));
        return found.Count > maxResults ? found.GetRange(0, maxResults) : found;
    }

    /// <summary>
    /// The hashes within <paramref name="maxDistance"/> of any of <paramref name="queries"/> (e.g. a picture's eight dihedral
    /// PDQ hashes), each record once with the query nearest it (the first such query on a tie), nearest first (ties by lower
    /// record id), at most <paramref name="maxResults"/>. Costs one <see cref="Search"/> per query.
    /// </summary>
    /// <exception cref="ArgumentNullException">When <paramref name="queries"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As <see cref="Search"/>.</exception>
    public IReadOnlyList<NearestOfAnyMatch> SearchAny(IReadOnlyList<Bytes32> queries, int maxDistance, int maxResults = 1)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var best = new Dictionary<long, NearestOfAnyMatch>();
        for (var q = 0; q < queries.Count; q++)
        {
            // Each query's nearest maxResults hold the overall nearest maxResults: a record missing from its nearest query's
            // list has maxResults others at least as near.
            foreach (var match in Search(queries[q], maxDistance, maxResults))
            {
                if (!best.TryGetValue(match.RecordId, out var known) || match.Distance < known.Distance)
                {
                    best[match.RecordId] = new NearestOfAnyMatch(match.RecordId, match.Distance, q);
                }
            }
        }

        return [.. best.Values.OrderBy(m => m.Distance).ThenBy(m => m.RecordId).Take(maxResults)];
    }

    private static void Scan(Snapshot snapshot, int from, ReadOnlySpan<ulong> q, int maxDistance, List<PerceptualHashMatch> found)
    {
        var (q0, q1, q2, q3) = (q[0], q[1], q[2], q[3]);
        var count = snapshot.Count;
        if (from >= count)
        {
            return;
        }

        // The snapshot's arrays hold at least Count entries, so the walk needs no bounds checks.
        ref var hash = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(snapshot.Hashes), from * Words);
        for (var i = from; i < count; i++, hash = ref Unsafe.Add(ref hash, Words))
        {
            // Four POPCNTs per record; the branch is almost never taken, so it predicts well.
            var distance = BitOperations.PopCount(hash ^ q0) + BitOperations.PopCount(Unsafe.Add(ref hash, 1) ^ q1)
                + BitOperations.PopCount(Unsafe.Add(ref hash, 2) ^ q2) + BitOperations.PopCount(Unsafe.Add(ref hash, 3) ^ q3);
            if (distance <= maxDistance)
            {
                found.Add(new PerceptualHashMatch(snapshot.Ids[i], distance));
            }
        }
    }

    private static void Pack(Bytes32 hash, Span<ulong> words)
    {
        var bytes = hash.AsSpan();
        for (var k = 0; k < Words; k++)
        {
            words[k] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(k * sizeof(ulong))..]);
        }
    }

    private sealed record Snapshot(ulong[] Hashes, long[] Ids, int Count, HammingMultiIndex? Tables);
}
