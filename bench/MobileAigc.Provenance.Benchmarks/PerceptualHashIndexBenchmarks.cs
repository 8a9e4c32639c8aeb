using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// One exact search of the ledger's perceptual hash index within the match threshold (31 bits), one thread, at 100,000
/// and 1,000,000 random 256-bit hashes: a query near a stored hash (10 to 31 bits away, found) and one far from all (a
/// fresh random hash, about 128 bits from each: nothing found). Also the linear scan, the previous method and the reference.
/// Runs in process: the index needs no separate build, and generating one (the Ledger project and its
/// EF Core providers) took over BenchmarkDotNet's two-minute build timeout on the shared 2-core machine.
/// p99 and the index's memory: <see cref="PerceptualHashIndexLatency"/> (<c>-- perceptual-hash-latency</c>).
/// </summary>
[InProcess]
[MemoryDiagnoser]
[MedianColumn]
public class PerceptualHashIndexBenchmarks
{
    private PerceptualHashIndexWorkload _workload = null!;
    private int _next;

    /// <summary>How many hashes the index holds.</summary>
    [Params(100_000, 1_000_000)]
    public int Count { get; set; }

    /// <summary>Fills the index with random hashes and plans the queries.</summary>
    [GlobalSetup]
    public void Setup() => _workload = PerceptualHashIndexWorkload.Create(Count, queries: 1_024);

    /// <summary>A query 10 to 31 bits from a stored hash: one hit.</summary>
    [Benchmark]
    public int SearchNear() => _workload.Index.Search(_workload.Near[_next++ & 1_023], 31).Count;

    /// <summary>A random query, far from every stored hash: no hit.</summary>
    [Benchmark]
    public int SearchFar() => _workload.Index.Search(_workload.Far[_next++ & 1_023], 31).Count;

    /// <summary>The same near query through a linear pass over every hash (radius 64 is beyond the tables).</summary>
    [Benchmark(Baseline = true)]
    public int SearchNearLinear() => _workload.Index.Search(_workload.Near[_next++ & 1_023], 64).Count;
}
