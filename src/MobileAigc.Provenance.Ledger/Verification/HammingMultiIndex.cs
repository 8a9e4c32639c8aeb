using System.Numerics;
using System.Runtime.CompilerServices;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Multi-index hashing (Norouzi, Punjani and Fleet) over the first <see cref="Count"/> 256-bit hashes of a packed array:
/// exact search for every hash within a Hamming distance of a query, without reading all of them.
/// </summary>
/// <remarks>
/// <para>Each hash is cut into <see cref="Tables"/> substrings of 16 bits, and table t lists the hashes by their t-th
/// substring (a bucket per 16-bit value, in counting-sort layout: bucket starts and hash positions, no per-bucket objects).
/// Pigeonhole: if two hashes differ in at most r bits, one of their 16 substrings differs in at most ⌊r / 16⌋ bits. So a search
/// for r = 31 (the match threshold) reads, in each table, the query's bucket and the 16 buckets one bit away: 272 buckets of
/// about n / 65,536 hashes each, about 4,000 candidates among a million, each then compared on all 256 bits.</para>
/// <para>A candidate is found in every table where its substring is near enough; it is reported only from the first such
/// table, so each hash is reported once, without a per-search set.</para>
/// <para>Memory: 4 bytes per hash per table (64 bytes per hash) plus 4 MB of bucket starts. Immutable once built: any number
/// of concurrent searches. Nothing here knows what the hashes mean: any 256-bit hash compared by Hamming distance (the
/// perceptual hash, PDQ) fits.</para>
/// </remarks>
internal sealed class HammingMultiIndex
{
    /// <summary>How many 16-bit substrings a hash is cut into: 16.</summary>
    public const int Tables = 16;

    /// <summary>The largest per-substring radius searched through the tables: 2 (distances up to 47); above it a linear scan reads less.</summary>
    public const int MaxSubstringRadius = 2;

    private const int Words = 4;
    private const int Buckets = 1 << 16;
    private readonly int[] _starts;
    private readonly int[] _positions;

    private HammingMultiIndex(int[] starts, int[] positions, int count)
    {
        _starts = starts;
        _positions = positions;
        Count = count;
    }

    /// <summary>How many hashes (the first ones of the array) the tables cover.</summary>
    public int Count { get; }

    /// <summary>The bytes the tables hold.</summary>
    public long Bytes => (_starts.LongLength + _positions.LongLength) * sizeof(int);

    /// <summary>True when a search within <paramref name="maxDistance"/> is cheaper through the tables than by a linear scan.</summary>
    public static bool Covers(int maxDistance) => maxDistance / Tables <= MaxSubstringRadius;

    /// <summary>Builds the tables over the first <paramref name="count"/> hashes of <paramref name="hashes"/> (four words each).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="count"/> is negative, beyond the array, or above 134 million (the tables' one array).</exception>
    public static HammingMultiIndex Build(ulong[] hashes, int count)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, hashes.Length / Words);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Array.MaxLength / Tables);
        var starts = new int[Tables * (Buckets + 1)];
        var positions = new int[Tables * count];
        var next = new int[Buckets];
        for (var t = 0; t < Tables; t++)
        {
            // Counting sort by the t-th substring: sizes, then starts, then positions in hash order within a bucket.
            var tableStarts = starts.AsSpan(t * (Buckets + 1), Buckets + 1);
            for (var i = 0; i < count; i++)
            {
                tableStarts[Substring(hashes, i, t) + 1]++;
            }

            for (var b = 0; b < Buckets; b++)
            {
                tableStarts[b + 1] += tableStarts[b];
            }

            tableStarts[..Buckets].CopyTo(next);
            var tablePositions = positions.AsSpan(t * count, count);
            for (var i = 0; i < count; i++)
            {
                tablePositions[next[Substring(hashes, i, t)]++] = i;
            }
        }

        return new HammingMultiIndex(starts, positions, count);
    }

    /// <summary>
    /// Adds to <paramref name="found"/> every covered hash within <paramref name="maxDistance"/> of <paramref name="query"/>
    /// (four words), once each, in no particular order.
    /// </summary>
    /// <remarks><paramref name="hashes"/> and <paramref name="ids"/> must be the arrays the tables were built over, or copies that agree on the first <see cref="Count"/> entries.</remarks>
    public void Search(ulong[] hashes, long[] ids, ReadOnlySpan<ulong> query, int maxDistance, List<PerceptualHashMatch> found)
    {
        var radius = maxDistance / Tables;
        Span<ushort> querySubstrings = stackalloc ushort[Tables];
        for (var t = 0; t < Tables; t++)
        {
            querySubstrings[t] = (ushort)(query[t / 4] >> (t % 4 * 16));
        }

        var probe = new Probe(this, hashes, ids, query, querySubstrings, maxDistance, radius, found);
        for (var t = 0; t < Tables; t++)
        {
            var q = querySubstrings[t];
            probe.Bucket(t, q);
            for (var a = 0; a < 16 && radius >= 1; a++)
            {
                probe.Bucket(t, q ^ (1 << a));
                for (var b = a + 1; b < 16 && radius >= 2; b++)
                {
                    probe.Bucket(t, q ^ (1 << a) ^ (1 << b));
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Substring(ulong[] hashes, int index, int table) => (ushort)(hashes[(index * Words) + (table / 4)] >> (table % 4 * 16));

    /// <summary>One search's state, so that reading a bucket is one call.</summary>
    private readonly ref struct Probe(
        HammingMultiIndex index, ulong[] hashes, long[] ids, ReadOnlySpan<ulong> query, ReadOnlySpan<ushort> querySubstrings, int maxDistance, int radius,
        List<PerceptualHashMatch> found)
    {
        private readonly ReadOnlySpan<ulong> _query = query;
        private readonly ReadOnlySpan<ushort> _querySubstrings = querySubstrings;

        public void Bucket(int table, int key)
        {
            var start = index._starts[(table * (Buckets + 1)) + key];
            var end = index._starts[(table * (Buckets + 1)) + key + 1];
            var positions = index._positions.AsSpan((table * index.Count) + start, end - start);
            var (q0, q1, q2, q3) = (_query[0], _query[1], _query[2], _query[3]);
            foreach (var i in positions)
            {
                var at = i * Words;
                var distance = BitOperations.PopCount(hashes[at] ^ q0) + BitOperations.PopCount(hashes[at + 1] ^ q1)
                    + BitOperations.PopCount(hashes[at + 2] ^ q2) + BitOperations.PopCount(hashes[at + 3] ^ q3);
                if (distance <= maxDistance && FirstTableOf(i, table))
                {
                    found.Add(new PerceptualHashMatch(ids[i], distance));
                }
            }
        }

        // True when no earlier table has this hash's substring within the radius: that table reported it already.
        private bool FirstTableOf(int i, int table)
        {
            for (var t = 0; t < table; t++)
            {
                if (BitOperations.PopCount((uint)(Substring(hashes, i, t) ^ _querySubstrings[t])) <= radius)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
