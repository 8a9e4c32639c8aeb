using BenchmarkDotNet.Attributes;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// The PDQ index, one thread, 1,000,000 hashes, random or clustered (<see cref="PdqIndexWorkload"/>): one search within
/// 31 bits, and the eight-hash lookup an upload costs (its dihedral hashes, <c>PerceptualHashIndex.SearchAny</c>). In process,
/// as <see cref="PerceptualHashIndexBenchmarks"/>. p99 and memory: <see cref="PdqIndexLatency"/> (<c>-- pdq-index-latency</c>).
/// </summary>
[InProcess]
[MemoryDiagnoser]
[MedianColumn]
public class PdqIndexBenchmarks
{
    private PdqIndexWorkload _workload = null!;
    private int _next;

    /// <summary>Random hashes, or groups of near-duplicates.</summary>
    [Params(false, true)]
    public bool Clustered { get; set; }

    /// <summary>Fills the index and plans the queries.</summary>
    [GlobalSetup]
    public void Setup() => _workload = PdqIndexWorkload.Create(1_000_000, queries: 1_024, Clustered);

    /// <summary>One hash near a stored one (or a group).</summary>
    [Benchmark(Baseline = true)]
    public int SearchNear() => _workload.Index.Search(_workload.Near[_next++ & 1_023][0], 31).Count;

    /// <summary>The eight dihedral hashes of an upload near a stored picture.</summary>
    [Benchmark]
    public int SearchDihedralNear() => _workload.Index.SearchAny(_workload.Near[_next++ & 1_023], 31).Count;

    /// <summary>The eight dihedral hashes of an upload the ledger never saw.</summary>
    [Benchmark]
    public int SearchDihedralFar() => _workload.Index.SearchAny(_workload.Far[_next++ & 1_023], 31).Count;
}
