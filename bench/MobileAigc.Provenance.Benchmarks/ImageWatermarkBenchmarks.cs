using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// Embedding and extraction time of the image watermark, one thread. Divide the mean by
/// <see cref="Megapixels"/> for ms per megapixel; the 1024×1024 case is exactly 1 MP (1,048,576 pixels).
/// </summary>
[MemoryDiagnoser]
public class ImageWatermarkBenchmarks
{
    private ImageWatermarker _watermarker = null!;
    private RgbImage _original = null!;
    private RgbImage _marked = null!;
    private RgbImage _markedRotatedCropped = null!;
    private RgbImage _markedRotated45Flipped = null!;

    /// <summary>The side of the square test picture, in pixels.</summary>
    [Params(512, 1024)]
    public int Side { get; set; }

    /// <summary>The picture's size in megapixels (2^20 pixels).</summary>
    public double Megapixels => Side * Side / (1024.0 * 1024.0);

    /// <summary>Makes a textured synthetic picture, its marked copy, a rotated and cropped marked copy, and a marked copy turned by 45° (reflection fill) and mirrored.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _watermarker = new ImageWatermarker(WatermarkKey.Parse("0x" + new string('c', 64)));
        _original = SyntheticImages.Create(5, Side, Side);
        _marked = _watermarker.Embed(_original, 0x0123_4567_89AB_CDEF);
        _markedRotatedCropped = ImageAttacks.CropFraction(ImageAttacks.Rotate(_marked, 5), 0.8, 0.5, 0.5);
        _markedRotated45Flipped = GeometricAttacks.FlipHorizontal(GeometricAttacks.RotateReflected(_marked, 45));

        // The short job's 3 warm-up iterations of a few calls each leave the methods called once per call (the embedder's
        // whole-plane passes among them) below the runtime's 30 calls for optimised code, so the first case measured
        // tier-0 code: steady state is what a node serving pictures runs.
        for (var i = 0; i < 40; i++)
        {
            Embed();
            ExtractMarked();
            ExtractRotatedCropped();
            ExtractRotated45Flipped();
            ExtractUnmarked();
        }
    }

    /// <summary>Marks the picture.</summary>
    [Benchmark]
    public RgbImage Embed() => _watermarker.Embed(_original, 0x0123_4567_89AB_CDEF);

    /// <summary>Reads a marked picture (found on the first grid and offset tried).</summary>
    [Benchmark]
    public ImageWatermarkReading ExtractMarked() => _watermarker.Extract(_marked);

    /// <summary>Reads a marked picture rotated 5° and cropped to 80% of each side.</summary>
    [Benchmark]
    public ImageWatermarkReading ExtractRotatedCropped() => _watermarker.Extract(_markedRotatedCropped);

    /// <summary>Reads a marked picture turned by 45° and mirrored: the grid search over every angle, then the tile's turns and mirrors.</summary>
    [Benchmark]
    public ImageWatermarkReading ExtractRotated45Flipped() => _watermarker.Extract(_markedRotated45Flipped);

    /// <summary>Reads an unmarked picture: the worst case, every grid and offset candidate is tried.</summary>
    [Benchmark]
    public ImageWatermarkReading ExtractUnmarked() => _watermarker.Extract(_original);
}
