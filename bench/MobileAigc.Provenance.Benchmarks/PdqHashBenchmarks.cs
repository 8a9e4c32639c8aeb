using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// PDQ hashing of decoded pixels (no file decoding): one hash, the eight dihedral hashes, and this solution's own
/// perceptual hash beside them. 1024×1024 is exactly 1 MP (1,048,576 pixels); 4000×3000 is a 12 MP phone photograph.
/// One thread: the PDQ hasher never starts others (the perceptual hasher does from 1 MP, hence its separate figure).
/// </summary>
[MemoryDiagnoser]
public class PdqHashBenchmarks
{
    private RgbImage _picture = null!;

    /// <summary>The picture's size, width × height.</summary>
    [Params("1024x1024", "4000x3000")]
    public string Size { get; set; } = "1024x1024";

    /// <summary>Makes a textured synthetic picture and warms the methods up to optimised code.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sides = Size.Split('x');
        _picture = SyntheticImages.Create(7, int.Parse(sides[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(sides[1], System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < 40; i++)
        {
            Pdq();
            PdqDihedral();
        }
    }

    /// <summary>One PDQ hash and its quality.</summary>
    [Benchmark(Baseline = true)]
    public PdqHashAndQuality Pdq() => PdqHasher.Compute(_picture);

    /// <summary>The eight dihedral PDQ hashes (one downsample and DCT, eight thresholdings).</summary>
    [Benchmark]
    public PdqDihedralHashes PdqDihedral() => PdqHasher.ComputeDihedral(_picture);

    /// <summary>This solution's own perceptual hash (parallel rows from 1 MP).</summary>
    [Benchmark]
    public PerceptualHash OwnPerceptualHash() => PerceptualHasher.Compute(_picture);
}
