using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// Process CPU time per PDQ hash of a 1 MP picture (decoded pixels in), which holds on a busy machine where the
/// wall-clock figures of <see cref="PdqHashBenchmarks"/> do not: 3 runs of 100 hashes after 40 for warm-up, median
/// printed with the load average. Run with the argument <c>pdq-cpu</c>.
/// </summary>
internal static class PdqHashCpu
{
    /// <summary>The command-line argument that selects this measurement.</summary>
    public const string Argument = "pdq-cpu";

    private const int Hashes = 100;

    public static void Run(TextWriter output)
    {
        var picture = SyntheticImages.Create(7, 1024, 1024);
        for (var i = 0; i < 40; i++)
        {
            PdqHasher.Compute(picture);
        }

        var process = Process.GetCurrentProcess();
        var runs = new List<(double CpuMs, double WallMs)>();
        for (var run = 0; run < 3; run++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            for (var i = 0; i < Hashes; i++)
            {
                PdqHasher.Compute(picture);
            }

            wall.Stop();
            process.Refresh();
            runs.Add(((process.TotalProcessorTime - cpu).TotalMilliseconds / Hashes, wall.Elapsed.TotalMilliseconds / Hashes));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {runs[^1].CpuMs:F2} ms CPU, {runs[^1].WallMs:F2} ms wall per 1 MP hash ({Hashes} hashes)"));
        }

        var median = runs.OrderBy(r => r.CpuMs).ElementAt(1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"PDQ, 1024×1024 decoded pixels: median {median.CpuMs:F2} ms CPU per hash; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
    }
}
