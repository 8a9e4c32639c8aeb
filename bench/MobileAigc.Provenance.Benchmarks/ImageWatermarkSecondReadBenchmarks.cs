using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// The full search on unmarked pictures whose read plane is under 512 pixels on its short side (384 × 384 read as it is,
/// 768 × 768 read at half size: 384 again), which the reader reads twice when the first read finds nothing: as they are,
/// then enlarged to 512. One thread; divide the mean by <see cref="Megapixels"/> for ms per megapixel.
/// </summary>
[MemoryDiagnoser]
public class ImageWatermarkSecondReadBenchmarks
{
    private ImageWatermarker _watermarker = null!;
    private RgbImage _original = null!;

    /// <summary>The side of the square test picture, in pixels.</summary>
    [Params(384, 768)]
    public int Side { get; set; }

    /// <summary>The picture's size in megapixels (2^20 pixels).</summary>
    public double Megapixels => Side * Side / (1024.0 * 1024.0);

    /// <summary>Makes the textured synthetic picture of <see cref="ImageWatermarkBenchmarks"/> at this size, and warms the reader up.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _watermarker = new ImageWatermarker(WatermarkKey.Parse("0x" + new string('c', 64)));
        _original = SyntheticImages.Create(5, Side, Side);
        for (var i = 0; i < 40; i++)
        {
            ExtractUnmarked();
        }
    }

    /// <summary>Reads an unmarked picture: every hypothesis of both reads fails.</summary>
    [Benchmark]
    public ImageWatermarkReading ExtractUnmarked() => _watermarker.Extract(_original);
}
