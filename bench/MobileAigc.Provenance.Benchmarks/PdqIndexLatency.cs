using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// The PDQ index at 1,000,000 hashes, random and clustered: the p99 of one search within 31 bits and of the eight-hash
/// (dihedral) lookup an upload costs (<c>PerceptualHashIndex.SearchAny</c>, what <c>PdqTracer</c> runs), each timed on its
/// own, and the index's memory. <c>dotnet run -c Release --project bench/MobileAigc.Provenance.Benchmarks -- pdq-index-latency</c>.
/// </summary>
public static class PdqIndexLatency
{
    /// <summary>The argument that selects this measurement.</summary>
    public const string Argument = "pdq-index-latency";

    /// <summary>Builds each workload, times 10,000 single and 2,000 eight-hash lookups of each kind after a warm-up, prints percentiles and memory.</summary>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        const int count = 1_000_000, queries = 10_000, dihedral = 2_000;
        foreach (var clustered in new[] { false, true })
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var build = Stopwatch.StartNew();
            var workload = PdqIndexWorkload.Create(count, queries, clustered);
            build.Stop();
            var after = GC.GetTotalMemory(forceFullCollection: true);
            var kind = clustered ? $"clustered ({PdqIndexWorkload.ClusterSize} per group)" : "random";
            output.WriteLine(Format(
                $"{kind}, {count:N0} hashes: built in {build.Elapsed.TotalSeconds:F1} s; index holds {workload.Index.Bytes / 1e6:F1} MB, ") + Format(
                $"managed heap grew {(after - before) / 1e6:F1} MB (with the planned queries); load {Load()}"));
            Time(output, "one hash, near", workload.Near, q => workload.Index.Search(q[0], 31).Count);
            Time(output, "one hash, far", workload.Far, q => workload.Index.Search(q[0], 31).Count);
            Time(output, "eight hashes, near", workload.Near[..dihedral], q => workload.Index.SearchAny(q, 31).Count);
            Time(output, "eight hashes, far", workload.Far[..dihedral], q => workload.Index.SearchAny(q, 31).Count);
        }
    }

    private static void Time(TextWriter output, string name, Bytes32[][] planned, Func<Bytes32[], int> search)
    {
        for (var i = 0; i < Math.Min(1_000, planned.Length); i++)
        {
            search(planned[i]);
        }

        var micros = new double[planned.Length];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < planned.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            search(planned[i]);
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        var cpuMicros = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / planned.Length;
        Array.Sort(micros);
        double At(double p) => micros[Math.Min(micros.Length - 1, (int)(p * micros.Length))];
        output.WriteLine(Format(
            $"  {name}: {planned.Length:N0} lookups within 31 bits: p50 {At(0.50):F1} µs, p90 {At(0.90):F1} µs, p99 {At(0.99):F1} µs, ") + Format(
            $"max {micros[^1]:F1} µs; process CPU {cpuMicros:F1} µs per lookup; load {Load()}"));
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
