using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// The index's multi-index tables against a plain linear scan written here: the same matches, in the same order, for random
/// and clustered hashes, at every radius around the substring boundaries (15, 16, 31, 32, 47, 48).
/// </summary>
public sealed class PerceptualHashIndexExactnessTests
{
    private static readonly int[] Radii = [0, 1, 8, 15, 16, 17, 31, 32, 47, 48, 64];

    [Fact]
    public void Search_RandomHashesWithNearDuplicates_AgreesWithTheLinearScan()
    {
        var random = new Random(16);
        var stored = new List<(long Id, Bytes32 Hash)>();
        for (var i = 0; i < 40_000; i++)
        {
            // Ids not in insertion order, so that "earlier record" is the id, not the position.
            var hash = i % 10 == 0 && stored.Count > 0 ? Flip(stored[random.Next(stored.Count)].Hash, random.Next(0, 50), random) : PerceptualHashIndexTests.RandomHash(random);
            stored.Add((random.NextInt64(1, long.MaxValue), hash));
        }

        var index = Fill(stored);
        Assert.True(index.Count > PerceptualHashIndex.MinimumIndexed);
        for (var q = 0; q < 100; q++)
        {
            var query = q % 3 == 0 ? PerceptualHashIndexTests.RandomHash(random) : Flip(stored[random.Next(stored.Count)].Hash, random.Next(0, 50), random);
            foreach (var radius in Radii)
            {
                AssertSameAsLinear(index, stored, query, radius);
            }
        }
    }

    [Fact]
    public void Search_ClusteredHashesWithManyTies_AgreesWithTheLinearScan()
    {
        var random = new Random(17);
        var centres = Enumerable.Range(0, 100).Select(_ => PerceptualHashIndexTests.RandomHash(random)).ToArray();
        var stored = new List<(long Id, Bytes32 Hash)>();
        for (var i = 0; i < 20_000; i++)
        {
            // Few distinct distances per cluster: many equal distances, so the tie rule decides the order.
            stored.Add((20_000 - i, Flip(centres[i % centres.Length], random.Next(0, 4) * 8, random)));
        }

        var index = Fill(stored);
        foreach (var centre in centres.Take(30))
        {
            foreach (var radius in Radii)
            {
                AssertSameAsLinear(index, stored, centre, radius);
                AssertSameAsLinear(index, stored, Flip(centre, radius / 2, random), radius);
            }
        }
    }

    [Fact]
    public void Search_MatchSpreadOverEverySubstring_IsFoundAtExactlyTheRadius()
    {
        // 31 bits spread as evenly as they can be: two in each of 15 substrings and one in the last, the pigeonhole's edge.
        var random = new Random(18);
        var stored = Enumerable.Range(1, PerceptualHashIndex.MinimumIndexed * 2).Select(i => ((long)i, PerceptualHashIndexTests.RandomHash(random))).ToList();
        var target = stored[5_000].Item2;
        var bytes = target.ToArray();
        for (var substring = 0; substring < 16; substring++)
        {
            var bits = substring == 15 ? 1 : 2;
            for (var b = 0; b < bits; b++)
            {
                var bit = (substring * 16) + (b * 5);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }

        var query = Bytes32.FromBytes(bytes);
        var index = Fill(stored);

        Assert.Equal([new PerceptualHashMatch(5_001, 31)], index.Search(query, 31));
        Assert.Empty(index.Search(query, 30));
    }

    [Fact]
    public void Search_AfterAddsPastTheIndexedHashes_FindsTheRecentOnesToo()
    {
        var random = new Random(19);
        var index = new PerceptualHashIndex();
        var query = PerceptualHashIndexTests.RandomHash(random);
        for (var i = 1; i <= PerceptualHashIndex.MinimumIndexed + 100; i++)
        {
            index.Add(i, PerceptualHashIndexTests.RandomHash(random));
        }

        index.Add(1_000_000, Flip(query, 20, random));

        Assert.Equal(1_000_000, index.Search(query, 31).Single().RecordId);
        Assert.True(index.Bytes > 0);
    }

    private static PerceptualHashIndex Fill(IEnumerable<(long Id, Bytes32 Hash)> stored)
    {
        var index = new PerceptualHashIndex();
        foreach (var (id, hash) in stored)
        {
            index.Add(id, hash);
        }

        return index;
    }

    private static void AssertSameAsLinear(PerceptualHashIndex index, List<(long Id, Bytes32 Hash)> stored, Bytes32 query, int radius)
    {
        var expected = stored
            .Select(s => new PerceptualHashMatch(s.Id, Distance(s.Hash, query)))
            .Where(m => m.Distance <= radius)
            .OrderBy(m => m.Distance).ThenBy(m => m.RecordId)
            .ToList();
        Assert.Equal(expected, index.Search(query, radius, maxResults: stored.Count));
        Assert.Equal(expected.Take(1), index.Search(query, radius));
    }

    private static int Distance(Bytes32 a, Bytes32 b)
    {
        ReadOnlySpan<byte> x = a.AsSpan(), y = b.AsSpan();
        var distance = 0;
        for (var i = 0; i < x.Length; i++)
        {
            distance += BitOperations.PopCount((uint)(x[i] ^ y[i]));
        }

        return distance;
    }

    // Flips exactly `count` distinct bits chosen at random.
    private static Bytes32 Flip(Bytes32 hash, int count, Random random)
    {
        var bytes = hash.ToArray();
        foreach (var bit in Enumerable.Range(0, 256).OrderBy(_ => random.Next()).Take(count))
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return Bytes32.FromBytes(bytes);
    }
}
