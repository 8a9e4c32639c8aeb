using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness.FalsePositives;

/// <summary>An unmarked variant from which a payload was read, with the keys whose MAC it carried.</summary>
public sealed record FalsePositiveHit(string Picture, string Variant, IReadOnlyList<int> KeyIndices);

/// <summary>What a false-positive run read and found.</summary>
/// <param name="Pictures">How many unmarked originals the variants were derived from.</param>
/// <param name="Reads">How many unmarked variants were read.</param>
/// <param name="ReadsPerKind">How many of each kind of variant.</param>
/// <param name="KeyCount">How many keys' MACs each reading was checked against.</param>
/// <param name="Hits">Every variant from which any key's payload decoded (a false positive).</param>
/// <param name="Wall">Wall time of the run.</param>
/// <param name="ProcessorTime">Processor time of the whole process during the run, all threads.</param>
public sealed record FalsePositiveResult(
    int Pictures, int Reads, IReadOnlyDictionary<string, int> ReadsPerKind, int KeyCount, IReadOnlyList<FalsePositiveHit> Hits, TimeSpan Wall, TimeSpan ProcessorTime);

/// <summary>
/// Reads unmarked variants (<see cref="UnmarkedVariants"/>) of the unmarked originals of every set, in parallel on all
/// cores, each with the reader's full search and every key's MAC tried on every payload that decodes.
/// </summary>
public static class FalsePositiveRun
{
    /// <summary>How many node keys the reader holds: 1,000, the benchmark's own key first.</summary>
    public const int KeyCount = 1000;

    /// <summary>
    /// Reads the first <paramref name="count"/> variants (all when null), picture index running fastest, so a shorter run
    /// still covers every picture.
    /// </summary>
    /// <exception cref="BenchmarkInputException">When <paramref name="count"/> exceeds the number of variants there are.</exception>
    public static FalsePositiveResult Run(IReadOnlyList<PictureSet> sets, int? count, WatermarkKey benchmarkKey)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var originals = sets.SelectMany(s => s.Pictures.Select(p => (Name: $"{s.Section}/{p.Name}", p.Image))).ToList();
        var variants = UnmarkedVariants.All;
        var available = originals.Count * variants.Count;
        var reads = count ?? available;
        if (reads > available)
        {
            throw new BenchmarkInputException(
                $"--false-positives {reads} asks for more unmarked variants than the {originals.Count} pictures give ({originals.Count} × {variants.Count} = {available}).");
        }

        var reader = new ImageWatermarkReader(Keys(benchmarkKey));
        var hits = new List<FalsePositiveHit>();
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, reads, j =>
        {
            var (name, image) = originals[j % originals.Count];
            var variant = variants[j / originals.Count];
            var attribution = reader.Read(variant.Apply(image));
            if (attribution.Reading.Found)
            {
                lock (hits)
                {
                    hits.Add(new FalsePositiveHit(name, variant.Name, attribution.KeyIndices));
                }
            }
        });
        var wall = clock.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - processor;
        var perKind = Enumerable.Range(0, reads)
            .GroupBy(j => variants[j / originals.Count].Kind)
            .ToDictionary(g => g.Key, g => g.Count());
        return new FalsePositiveResult(originals.Count, reads, perKind, KeyCount, hits, wall, used);
    }

    private static IEnumerable<WatermarkKey> Keys(WatermarkKey benchmarkKey)
    {
        yield return benchmarkKey;
        for (var i = 1; i < KeyCount; i++)
        {
            yield return WatermarkKey.Parse("0x" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"false-positive-node-{i}"))));
        }
    }
}
