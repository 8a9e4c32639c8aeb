using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// One exact nearest-neighbour search of the ledger's perceptual hash index (linear XOR + POPCNT
/// scan over packed 4 × ulong hashes), one thread, at 100,000 and 1,000,000 random 256-bit hashes.
/// The query is a stored hash with 10 bits flipped, so the scan finds one hit within the default
/// threshold (31) and none of the random others (they lie around 128 bits away).
/// Runs in process: the index needs no separate build, and generating one (the Ledger project and its
/// EF Core providers) took over BenchmarkDotNet's two-minute build timeout on the shared 2-core machine.
/// </summary>
[InProcess]
[MemoryDiagnoser]
[MedianColumn]
public class PerceptualHashIndexBenchmarks
{
    private PerceptualHashIndex _index = null!;
    private Bytes32 _query;

    /// <summary>How many hashes the index holds.</summary>
    [Params(100_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>Fills the index with random hashes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(31);
        _index = new PerceptualHashIndex();
        var bytes = new byte[Bytes32.Length];
        Bytes32 target = default;
        for (var i = 0; i < Count; i++)
        {
            random.NextBytes(bytes);
            var hash = Bytes32.FromBytes(bytes);
            _index.Add(i + 1, hash);
            if (i == Count / 2)
            {
                target = hash;
            }
        }

        var query = target.ToArray();
        for (var bit = 0; bit < 10; bit++)
        {
            query[bit * 3] ^= 1;
        }

        _query = Bytes32.FromBytes(query);
        if (_index.Search(_query, 31).Count != 1)
        {
            throw new InvalidOperationException("The planted near-duplicate was not found.");
        }
    }

    /// <summary>The nearest hash within 31 bits.</summary>
    [Benchmark]
    public int SearchNearest() => _index.Search(_query, 31).Count;
}
