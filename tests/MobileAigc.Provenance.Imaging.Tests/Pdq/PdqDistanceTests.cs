using MobileAigc.Provenance.Imaging.Pdq;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>
/// Distances that matter for a PDQ index: 20 unrelated generated pictures against each other, and each against its
/// JPEG re-encode at quality 70 and its copy at half size. Prints the distributions (docs quote them).
/// </summary>
public sealed class PdqDistanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Compute_UnrelatedPicturesFarApart_EditedCopiesWithinMatchThreshold()
    {
        var pictures = Enumerable.Range(100, 20).Select(seed => TestImages.Synthetic(seed, width: 640, height: 480)).ToArray();
        var hashes = pictures.Select(p => PdqHasher.Compute(p).Hash).ToArray();

        var unrelated = new List<int>();
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var j = i + 1; j < hashes.Length; j++)
            {
                unrelated.Add(hashes[i].DistanceTo(hashes[j]));
            }
        }

        var jpeg70 = pictures.Select((p, i) => hashes[i].DistanceTo(
            PdqHasher.Compute(ImageCodec.Encode(p, ImageFileFormat.Jpeg, 70)).Hash)).ToList();
        var half = pictures.Select((p, i) => hashes[i].DistanceTo(
            PdqHasher.Compute(ImageCodec.Resize(p, p.Width / 2, p.Height / 2)).Hash)).ToList();

        output.WriteLine($"unrelated ({unrelated.Count} pairs): {Summary(unrelated)}");
        output.WriteLine($"JPEG 70 (20): {Summary(jpeg70)}");
        output.WriteLine($"50 % resize (20): {Summary(half)}");
        Assert.All(unrelated, d => Assert.InRange(d, PdqHash.MatchThreshold + 1, PdqHash.BitCount));
        Assert.All(jpeg70.Concat(half), d => Assert.InRange(d, 0, PdqHash.MatchThreshold));
    }

    private static string Summary(List<int> distances)
    {
        var sorted = distances.Order().ToArray();
        return $"min {sorted[0]}, median {sorted[sorted.Length / 2]}, mean {sorted.Average():F1}, max {sorted[^1]}";
    }
}
