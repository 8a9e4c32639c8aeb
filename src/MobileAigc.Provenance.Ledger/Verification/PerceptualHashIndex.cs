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

/// <summary>
/// Every record's 256-bit perceptual hash in memory, searched exactly (no approximation) for the
/// hashes within a Hamming distance of a query.
/// </summary>
/// <remarks>
/// <para>Layout: each hash is four <see cref="ulong"/>s side by side in one array, and the record ids
/// in a parallel array, so a search is a linear pass of XOR and hardware POPCNT over 32 bytes per
/// record with no pointer chasing. Measured with BenchmarkDotNet
/// (<c>PerceptualHashIndexBenchmarks</c>): see the figures in the report of the benchmark project; a
/// million hashes take a few milliseconds on one core, so multi-index hashing (which needs
/// threshold-dependent tables and 16 to 32 times the memory for its buckets) does not pay yet.
/// Memory: 40 bytes per hash (40 MB per million), doubled briefly while the arrays grow.</para>
/// <para>Thread safety: any number of concurrent searches and one writer at a time (adds are
/// serialised by a lock). Searches never lock: they read an immutable snapshot (arrays and count).
/// An add writes past the published count and then publishes a new snapshot, so a search sees
/// either the old or the new set, never a half-written hash.</para>
/// </remarks>
public sealed class PerceptualHashIndex
{
    private const int Words = Bytes32.Length / sizeof(ulong);
    private readonly Lock _writeLock = new();
    private volatile Snapshot _snapshot = new([], [], 0);

    /// <summary>How many hashes the index holds.</summary>
    public int Count => _snapshot.Count;

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
            _snapshot = new Snapshot(hashes, ids, current.Count + 1);
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
        var (q0, q1, q2, q3) = (q[0], q[1], q[2], q[3]);
        var count = snapshot.Count;
        var found = new List<PerceptualHashMatch>();

        // The snapshot's arrays hold at least Count entries, so the walk needs no bounds checks.
        ref var hash = ref MemoryMarshal.GetArrayDataReference(snapshot.Hashes);
        for (var i = 0; i < count; i++, hash = ref Unsafe.Add(ref hash, Words))
        {
            // Four POPCNTs per record; the branch is almost never taken, so it predicts well.
            var distance = BitOperations.PopCount(hash ^ q0) + BitOperations.PopCount(Unsafe.Add(ref hash, 1) ^ q1)
                + BitOperations.PopCount(Unsafe.Add(ref hash, 2) ^ q2) + BitOperations.PopCount(Unsafe.Add(ref hash, 3) ^ q3);
            if (distance <= maxDistance)
            {
                found.Add(new PerceptualHashMatch(snapshot.Ids[i], distance));
            }
        }

        found.Sort(static (a, b) => a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance) : a.RecordId.CompareTo(b.RecordId));
        return found.Count > maxResults ? found.GetRange(0, maxResults) : found;
    }

    private static void Pack(Bytes32 hash, Span<ulong> words)
    {
        var bytes = hash.AsSpan();
        for (var k = 0; k < Words; k++)
        {
            words[k] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(k * sizeof(ulong))..]);
        }
    }

    private sealed record Snapshot(ulong[] Hashes, long[] Ids, int Count);
}
