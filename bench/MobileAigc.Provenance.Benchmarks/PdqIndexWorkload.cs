using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// A PDQ index of 256-bit hashes and planned queries, the same for every measurement (seeded). Random hashes are the
/// easy case (every 16-bit table bucket holds about count / 65,536 hashes); clustered ones are what a ledger of many
/// edits and re-uploads of the same pictures holds: groups of near-duplicates that share most substrings, so a query
/// near a group meets its whole group in the tables.
/// </summary>
/// <param name="Index">The index.</param>
/// <param name="Near">Per query, its eight "dihedral" hashes: the first within 31 bits of a stored hash, the seven others fresh random hashes (a picture's other turns and mirrors lie about 128 bits from it and from everything else).</param>
/// <param name="Far">Per query, eight fresh random hashes: an upload of a picture the ledger never saw.</param>
public sealed record PdqIndexWorkload(PerceptualHashIndex Index, Bytes32[][] Near, Bytes32[][] Far)
{
    /// <summary>Members per group in the clustered workload.</summary>
    public const int ClusterSize = 10;

    /// <summary>
    /// Fills an index with <paramref name="count"/> hashes: random, or (<paramref name="clustered"/>) groups of
    /// <see cref="ClusterSize"/> hashes each 4 to 24 bits from its group's random centre; and plans <paramref name="queries"/>
    /// near queries (a stored hash with 10 to 31 bits flipped, or a group's centre with 0 to 15 flipped) and far ones.
    /// </summary>
    /// <exception cref="InvalidOperationException">When a near query finds nothing: the index would be wrong.</exception>
    public static PdqIndexWorkload Create(int count, int queries, bool clustered)
    {
        var random = new Random(17);
        var index = new PerceptualHashIndex();
        var stored = new Bytes32[count];
        var centres = new Bytes32[(count / ClusterSize) + 1];
        for (var i = 0; i < count; i++)
        {
            if (clustered && i % ClusterSize == 0)
            {
                centres[i / ClusterSize] = Random32(random);
            }

            stored[i] = clustered ? Flip(centres[i / ClusterSize], random.Next(4, 25), random) : Random32(random);
            index.Add(i + 1, stored[i]);
        }

        var near = new Bytes32[queries][];
        var far = new Bytes32[queries][];
        for (var q = 0; q < queries; q++)
        {
            var target = clustered ? Flip(centres[random.Next(count / ClusterSize)], random.Next(0, 16), random) : Flip(stored[random.Next(count)], random.Next(10, 32), random);
            near[q] = [target, .. Enumerable.Range(0, 7).Select(_ => Random32(random))];
            far[q] = [.. Enumerable.Range(0, 8).Select(_ => Random32(random))];
            if (index.Search(target, 31).Count == 0)
            {
                throw new InvalidOperationException("A planted near-duplicate was not found.");
            }
        }

        return new PdqIndexWorkload(index, near, far);
    }

    private static Bytes32 Flip(Bytes32 hash, int bits, Random random)
    {
        var bytes = hash.ToArray();
        foreach (var bit in Enumerable.Range(0, 256).OrderBy(_ => random.Next()).Take(bits))
        {
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }

        return Bytes32.FromBytes(bytes);
    }

    private static Bytes32 Random32(Random random)
    {
        var bytes = new byte[Bytes32.Length];
        random.NextBytes(bytes);
        return Bytes32.FromBytes(bytes);
    }
}
