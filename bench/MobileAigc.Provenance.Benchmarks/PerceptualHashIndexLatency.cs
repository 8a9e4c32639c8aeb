using System.Diagnostics;
using System.Globalization;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// What BenchmarkDotNet does not give: the p99 of single searches (each timed on its own) and the index's memory, at
/// 1,000,000 hashes. <c>dotnet run -c Release --project bench/MobileAigc.Provenance.Benchmarks -- perceptual-hash-latency</c>.
/// </summary>
public static class PerceptualHashIndexLatency
{
    /// <summary>The argument that selects this measurement.</summary>
    public const string Argument = "perceptual-hash-latency";

    /// <summary>Builds the index, times 20,000 near and 20,000 far searches after a warm-up, and prints percentiles and memory.</summary>
    public static void Run(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        const int count = 1_000_000, queries = 20_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var build = Stopwatch.StartNew();
        var workload = PerceptualHashIndexWorkload.Create(count, queries);
        build.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count:N0} hashes: built in {build.Elapsed.TotalSeconds:F1} s (adds one by one, with the queries' checks); index holds {workload.Index.Bytes / 1e6:F1} MB " +
            $"(its arrays), managed heap grew {(after - before) / 1e6:F1} MB (index and the {2 * queries:N0} planned queries); load {File.ReadAllText("/proc/loadavg").Trim()}"));
        foreach (var (name, planned) in new[] { ("near (10 to 31 bits from a stored hash)", workload.Near), ("far (random)", workload.Far) })
        {
            for (var i = 0; i < 2_000; i++)
            {
                workload.Index.Search(planned[i], 31);
            }

            var micros = new double[planned.Length];
            for (var i = 0; i < planned.Length; i++)
            {
                var started = Stopwatch.GetTimestamp();
                workload.Index.Search(planned[i], 31);
                micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }

            Array.Sort(micros);
            double At(double p) => micros[Math.Min(micros.Length - 1, (int)(p * micros.Length))];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {planned.Length:N0} searches within 31 bits: p50 {At(0.50):F1} µs, p90 {At(0.90):F1} µs, p99 {At(0.99):F1} µs, max {micros[^1]:F1} µs; " +
                $"load {File.ReadAllText("/proc/loadavg").Trim()}"));
        }
    }
}
