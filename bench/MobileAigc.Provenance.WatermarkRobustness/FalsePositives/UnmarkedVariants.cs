using System.Globalization;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;
using static MobileAigc.Provenance.Watermarking.Tests.Image.CompressionAttacks;
using static MobileAigc.Provenance.Watermarking.Tests.Image.GeometricAttacks;
using Attacks = MobileAigc.Provenance.Watermarking.Tests.Image.ImageAttacks;

namespace MobileAigc.Provenance.WatermarkRobustness.FalsePositives;

/// <summary>A way to derive an unmarked picture from an unmarked original: its kind, its exact definition, and the transform.</summary>
public sealed record UnmarkedVariant(string Kind, string Name, Func<RgbImage, RgbImage> Apply);

/// <summary>
/// The unmarked variants read for false positives: every one is applied to every unmarked picture of the run's sets
/// (the originals the robustness tables mark), so a run of 137 pictures reads 137 × <see cref="All"/>.Count variants.
/// Deterministic: no randomness, the same pixels on every run. Crop positions are fractions of the free margin
/// (0 = left/top, 1 = right/bottom); scales round each side to the nearest pixel; rotations keep the size and leave black
/// corners; JPEG is libjpeg-turbo at 4:2:0 and WebP is libwebp, both through SkiaSharp.
/// </summary>
public static class UnmarkedVariants
{
    /// <summary>The variants, one a line, grouped by kind.</summary>
    public static IReadOnlyList<UnmarkedVariant> All { get; } =
    [
        .. Crops(),
        new("scale", "scale to 30%", image => Attacks.Scale(image, 0.3)),
        new("scale", "scale to 50%", image => Attacks.Scale(image, 0.5)),
        new("scale", "scale to 66%", image => Attacks.Scale(image, 0.66)),
        new("scale", "scale to 80%", image => Attacks.Scale(image, 0.8)),
        new("scale", "scale to 125%", image => Attacks.Scale(image, 1.25)),
        new("scale", "scale to 150%", image => Attacks.Scale(image, 1.5)),
        new("scale", "width 75%, height kept", image => ScaleSides(image, 0.75, 1)),
        new("scale", "height 75%, width kept", image => ScaleSides(image, 1, 0.75)),
        new("scale", "width 50%, height kept", image => ScaleSides(image, 0.5, 1)),
        new("scale", "height 60%, width kept", image => ScaleSides(image, 1, 0.6)),
        new("scale", "width 130%, height kept", image => ScaleSides(image, 1.3, 1)),
        new("scale", "width 80%, height 120%", image => ScaleSides(image, 0.8, 1.2)),
        .. new[] { 10, 20, 30, 40, 50, 60, 70, 80, 90, 95 }.Select(q => new UnmarkedVariant("re-encoding", $"JPEG q{q}", image => Attacks.Jpeg(image, q))),
        .. new[] { 10, 30, 50, 70, 90, 95 }.Select(q => new UnmarkedVariant("re-encoding", $"WebP q{q}", image => WebP(image, q))),
        new("flip or rotation", "mirror left-right", FlipHorizontal),
        new("flip or rotation", "mirror top-bottom", FlipVertical),
        new("flip or rotation", "rotate 90 deg", image => RotateQuarterTurns(image, 1)),
        new("flip or rotation", "rotate 180 deg", image => RotateQuarterTurns(image, 2)),
        new("flip or rotation", "rotate 270 deg", image => RotateQuarterTurns(image, 3)),
        new("flip or rotation", "transpose", Transpose),
        .. new[] { 1, 3, 5, 10, 15, 30, 45, -7, -20, -60 }.Select(d => new UnmarkedVariant("flip or rotation", $"rotate {d} deg, black corners", image => Attacks.Rotate(image, d))),
        new("chain", "crop 80% centred, JPEG q70", image => Attacks.Jpeg(Attacks.CropFraction(image, 0.8, 0.5, 0.5), 70)),
        new("chain", "crop 90% top-left, scale to 75%, JPEG q80", image => Attacks.Jpeg(Attacks.Scale(Attacks.CropFraction(image, 0.9, 0, 0), 0.75), 80)),
        new("chain", "scale to 50%, JPEG q60", image => Attacks.Jpeg(Attacks.Scale(image, 0.5), 60)),
        new("chain", "scale to 30%, WebP q50", image => WebP(Attacks.Scale(image, 0.3), 50)),
        new("chain", "mirror left-right, JPEG q75", image => Attacks.Jpeg(FlipHorizontal(image), 75)),
        new("chain", "rotate 90 deg, crop 70% centred", image => Attacks.CropFraction(RotateQuarterTurns(image, 1), 0.7, 0.5, 0.5)),
        new("chain", "rotate 10 deg, crop 70% centred", image => Attacks.CropFraction(Attacks.Rotate(image, 10), 0.7, 0.5, 0.5)),
        new("chain", "rotate 45 deg, crop 60% centred", image => Attacks.CropFraction(Attacks.Rotate(image, 45), 0.6, 0.5, 0.5)),
        new("chain", "width 75%, JPEG q70", image => Attacks.Jpeg(ScaleSides(image, 0.75, 1), 70)),
        new("chain", "WebP q50, scale to 75%", image => Attacks.Scale(WebP(image, 50), 0.75)),
        new("chain", "crop 80% centred, 400 px short side, JPEG q70", image => Attacks.Jpeg(PhotographSet.ToShortSide(Attacks.CropFraction(image, 0.8, 0.5, 0.5), 400), 70)),
        new("chain", "JPEG q90, then JPEG q50", image => Attacks.Jpeg(Attacks.Jpeg(image, 90), 50)),
    ];

    private static IEnumerable<UnmarkedVariant> Crops()
    {
        (double X, double Y, string Where)[] positions =
            [(0, 0, "top-left"), (1, 1, "bottom-right"), (0.5, 0.5, "centred"), (1, 0, "top-right"), (0, 1, "bottom-left"), (0.3, 0.7, "at (0.3, 0.7)")];
        foreach (var side in new[] { 0.9, 0.75, 0.6, 0.5 })
        {
            foreach (var (x, y, where) in positions)
            {
                yield return new UnmarkedVariant("crop", string.Create(CultureInfo.InvariantCulture, $"crop to {side * 100:0}% of each side, {where}"), image => Attacks.CropFraction(image, side, x, y));
            }
        }
    }

    private static RgbImage ScaleSides(RgbImage image, double width, double height) =>
        Attacks.Resize(image, Math.Max(1, (int)Math.Round(image.Width * width)), Math.Max(1, (int)Math.Round(image.Height * height)));
}
