using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>An index of random 256-bit hashes and queries near stored ones and far from all, the same for every measurement.</summary>
/// <param name="Index">The index.</param>
/// <param name="Near">Stored hashes with 10 to 31 random bits flipped.</param>
/// <param name="Far">Fresh random hashes.</param>
public sealed record PerceptualHashIndexWorkload(PerceptualHashIndex Index, Bytes32[] Near, Bytes32[] Far)
{
    /// <summary>Fills an index with <paramref name="count"/> random hashes (seeded) and plans <paramref name="queries"/> of each kind.</summary>
    /// <exception cref="InvalidOperationException">When a near query is not found: the index would be wrong.</exception>
    public static PerceptualHashIndexWorkload Create(int count, int queries)
    {
        var random = new Random(31);
        var index = new PerceptualHashIndex();
        var stored = new Bytes32[count];
        for (var i = 0; i < count; i++)
        {
            stored[i] = Random32(random);
            index.Add(i + 1, stored[i]);
        }

        var near = new Bytes32[queries];
        var far = new Bytes32[queries];
        for (var q = 0; q < queries; q++)
        {
            var bytes = stored[random.Next(count)].ToArray();
            foreach (var bit in Enumerable.Range(0, 256).OrderBy(_ => random.Next()).Take(random.Next(10, 32)))
            {
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            }

            near[q] = Bytes32.FromBytes(bytes);
            if (index.Search(near[q], 31).Count != 1)
            {
                throw new InvalidOperationException("A planted near-duplicate was not found.");
            }

            far[q] = Random32(random);
        }

        return new PerceptualHashIndexWorkload(index, near, far);
    }

    private static Bytes32 Random32(Random random)
    {
        var bytes = new byte[Bytes32.Length];
        random.NextBytes(bytes);
        return Bytes32.FromBytes(bytes);
    }
}
