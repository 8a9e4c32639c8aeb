using MobileAigc.Provenance.Imaging.PerceptualHashing;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Imaging.Tests.PerceptualHashing;

/// <summary>
/// The same checks on real photographs, when the shared C2PA fixture JPEGs are on this machine
/// (read in place from their absolute path, never copied); without them the test only says so.
/// </summary>
public class RealPhotoTests(ITestOutputHelper output)
{
    private const string FixtureDirectory = "/work/shared/c2pa-fixtures";

    [Fact]
    public void Compute_RealPhotosEdited_StayWithinMatchThreshold()
    {
        if (!Directory.Exists(FixtureDirectory))
        {
            output.WriteLine($"{FixtureDirectory} not present: nothing checked.");
            return;
        }

        var photos = Directory.GetFiles(FixtureDirectory, "*.jpg").Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileName(path), Image: ImageCodec.Decode(File.ReadAllBytes(path))))
            .ToArray();
        foreach (var (name, image) in photos)
        {
            var hash = PerceptualHasher.Compute(image);
            var edits = new (string Edit, RgbImage Edited)[]
            {
                ("jpeg-q50", ImageCodec.Decode(ImageCodec.Encode(image, ImageFileFormat.Jpeg, 50))),
                ("resize-50%", ImageCodec.Resize(image, image.Width / 2, image.Height / 2)),
                ("brightness+12", TestImages.Brightened(image, 12)),
            };
            var distances = edits.Select(e => (e.Edit, Distance: hash.DistanceTo(PerceptualHasher.Compute(e.Edited)))).ToArray();

            output.WriteLine($"{name} {image.Width}×{image.Height} quality {hash.Quality}{(hash.IsTrusted ? "" : " (untrusted)")}: " +
                string.Join(", ", distances.Select(d => $"{d.Edit} {d.Distance}")));

            // A featureless picture (C.jpg is a smooth colour gradient) is exactly what quality flags:
            // its bits are noise-driven and an edit may move it far. Only trusted hashes must hold.
            if (hash.IsTrusted)
            {
                Assert.All(distances, d => Assert.InRange(d.Distance, 0, PerceptualHash.MatchThreshold));
            }
        }

        var hashes = photos.Select(p => (p.Name, Hash: PerceptualHasher.Compute(p.Image))).ToArray();
        for (var i = 0; i < hashes.Length; i++)
        {
            for (var j = i + 1; j < hashes.Length; j++)
            {
                output.WriteLine($"{hashes[i].Name} vs {hashes[j].Name}: {hashes[i].Hash.DistanceTo(hashes[j].Hash)}");
            }
        }
    }
}
