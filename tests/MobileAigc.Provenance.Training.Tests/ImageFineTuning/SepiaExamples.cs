using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Training.Tests.ImageFineTuning;

/// <summary>
/// A creator's pictures with a strong palette: the base model's own pictures of other seeds, their luma
/// mapped onto a sepia ramp (dark brown, rust, cream). Same shapes and texture as the model makes, a
/// palette it does not: what fine-tuning must learn.
/// </summary>
internal static class SepiaExamples
{
    private static readonly Lazy<byte[][]> Pictures = new(() => Make(6, 128));

    /// <summary>Six PNG pictures of 128 × 128 (the fifth as JPEG), made once per test run.</summary>
    public static IReadOnlyList<byte[]> Six => Pictures.Value;

    /// <summary>The base model's SHA-256 as the identity names it.</summary>
    public static string BaseSha256 => Bytes32.Sha256(File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx"))).ToString();

    /// <summary><paramref name="count"/> pictures of <paramref name="side"/> pixels a side.</summary>
    public static byte[][] Make(int count, int side)
    {
        using var model = OnnxModel.LoadDirectory(RepositoryPaths.ImageModel);
        var generator = new ImageGenerator(model);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var picture = Recolour(generator.Generate(new ImageGenerationOptions { Seed = 9_000UL + (ulong)i, Width = side, Height = side }));
            return ImageCodec.Encode(picture, i == 4 ? ImageFileFormat.Jpeg : ImageFileFormat.Png);
        })];
    }

    /// <summary>Maps every pixel's luma onto the sepia ramp.</summary>
    public static RgbImage Recolour(RgbImage image)
    {
        var result = image.Clone();
        var luma = ImageCodec.ToLuma(image);
        for (var i = 0; i < luma.Length; i++)
        {
            var t = luma[i] / 255f;
            result.Pixels[3 * i] = Ramp(t, 50, 180, 245);
            result.Pixels[(3 * i) + 1] = Ramp(t, 25, 80, 225);
            result.Pixels[(3 * i) + 2] = Ramp(t, 15, 35, 180);
        }

        return result;
    }

    private static byte Ramp(float t, float dark, float middle, float light) =>
        (byte)Math.Clamp(MathF.Round(t < 0.5f ? dark + ((middle - dark) * 2 * t) : middle + ((light - middle) * ((2 * t) - 1))), 0, 255);
}
