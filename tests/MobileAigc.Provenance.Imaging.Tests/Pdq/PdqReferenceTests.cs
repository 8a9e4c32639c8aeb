using MobileAigc.Provenance.Imaging.Pdq;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>Our hashes of the reference's test photographs against the hashes the reference publishes.</summary>
public sealed class PdqReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> CommittedPhotos() => [.. PdqReferenceVectors.Committed];

    [Theory]
    [MemberData(nameof(CommittedPhotos))]
    public void Compute_CommittedReferencePhoto_WithinToleranceOfPublishedHashAtQuality100(string path)
    {
        var image = ImageCodec.Decode(PdqReferenceVectors.ReadCommitted(path));

        var result = PdqHasher.Compute(PdqReferenceVectors.AsPublisherHashedIt(path, image));

        var distance = result.Hash.DistanceTo(PdqReferenceVectors.PublishedHash(path));
        output.WriteLine($"{path}: {result.Hash} quality {result.Quality}, distance {distance} from the published hash");
        Assert.InRange(distance, 0, PdqReferenceVectors.Tolerance);
        Assert.Equal(100, result.Quality);
    }

    [Fact]
    public void Compute_BridgeOriginalFile_EqualsTheJavaPortsHash()
    {
        // Same algorithm, same decoded pixels (Java's decoder and libjpeg-turbo agree on this file): the same bits
        // (measured: distance 0). A little room for a future SkiaSharp whose JPEG decoder rounds differently.
        var result = PdqHasher.Compute(PdqReferenceVectors.ReadCommitted("dih/bridge-1-original.jpg"));

        var distance = result.Hash.DistanceTo(PdqHash.Parse(PdqReferenceVectors.JavaPortBridgeOriginal));
        output.WriteLine($"{result.Hash}: distance {distance} from the Java port's hash");
        Assert.InRange(distance, 0, 2);
    }

    [Fact]
    public void Compute_EveryReferencePhotoOfTheSharedSet_WithinToleranceOfPublishedHashAtQuality100()
    {
        if (!Directory.Exists(PdqReferenceVectors.SharedFolder))
        {
            output.WriteLine($"{PdqReferenceVectors.SharedFolder} not present: only the committed subset is checked (other tests).");
            return;
        }

        var onDisk = Directory.GetFiles(PdqReferenceVectors.SharedFolder, "*.jpg", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(PdqReferenceVectors.SharedFolder, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(PdqReferenceVectors.Published.Keys.Order(StringComparer.Ordinal), onDisk);

        var failures = new List<string>();
        foreach (var path in onDisk)
        {
            var image = ImageCodec.Decode(File.ReadAllBytes(Path.Combine(PdqReferenceVectors.SharedFolder, path)));
            var published = PdqReferenceVectors.PublishedHash(path);
            var result = PdqHasher.Compute(PdqReferenceVectors.AsPublisherHashedIt(path, image));
            var distance = result.Hash.DistanceTo(published);
            output.WriteLine($"{path} {image.Width}×{image.Height}: quality {result.Quality}, distance {distance} as published " +
                $"(whole picture: {PdqHasher.Compute(image).Hash.DistanceTo(published)})");
            if (distance > PdqReferenceVectors.Tolerance || result.Quality != 100)
            {
                failures.Add($"{path}: distance {distance}, quality {result.Quality}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void ComputeDihedral_BridgeOriginal_EachFormWithinToleranceOfPublishedHashOfThatFile()
    {
        var hashes = PdqHasher.ComputeDihedral(PdqReferenceVectors.ReadCommitted("dih/bridge-1-original.jpg"));

        Assert.Equal(100, hashes.Quality);
        foreach (var (form, file) in PdqReferenceVectors.DihedralFiles)
        {
            var distance = hashes[form].DistanceTo(PdqReferenceVectors.PublishedHash(file));
            output.WriteLine($"{form}: {hashes[form]} distance {distance} from {file}");
            Assert.InRange(distance, 0, PdqReferenceVectors.Tolerance);
        }
    }

    [Fact]
    public void ComputeDihedral_BridgeOriginal_Rotate90MatchesOurHashOfTheRotatedFile()
    {
        var derived = PdqHasher.ComputeDihedral(PdqReferenceVectors.ReadCommitted("dih/bridge-1-original.jpg"))[PdqDihedral.Rotate90];

        var hashed = PdqHasher.Compute(PdqReferenceVectors.ReadCommitted("dih/bridge-2-rotate-90.jpg")).Hash;

        output.WriteLine($"derived {derived}, hashed {hashed}: distance {derived.DistanceTo(hashed)}");
        Assert.InRange(derived.DistanceTo(hashed), 0, PdqReferenceVectors.Tolerance);
    }

    [Fact]
    public void ComputeDihedral_Original_EqualsCompute()
    {
        var file = PdqReferenceVectors.ReadCommitted("bridge-mods/square-256x256.jpg");

        Assert.Equal(PdqHasher.Compute(file).Hash, PdqHasher.ComputeDihedral(file).Original);
    }
}
