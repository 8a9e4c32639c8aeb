using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.EdgeNode.Generation;

/// <summary>
/// The input picture of an image-to-image request, checked and decoded within the node's bounds, with the
/// output size it leads to.
/// </summary>
/// <param name="Picture">The decoded, upright input.</param>
/// <param name="Width">The output width: the request's, or the input's aspect fitted into the node's side bounds.</param>
/// <param name="Height">The output height, likewise.</param>
/// <param name="Derivation">What the response and record say about the derivation.</param>
public sealed record ImageToImageInput(RgbImage Picture, int Width, int Height, ImageDerivation Derivation)
{
    /// <summary>The largest input file: 8 MiB.</summary>
    public const int MaxInputBytes = 8 * 1024 * 1024;

    /// <summary>The most input pixels: 2,048 × 2,048, decided from the header before any pixel memory is allocated.</summary>
    public const long MaxInputPixels = 2048L * 2048;

    /// <summary>
    /// Checks and decodes the request's input; null for a text-to-image request (no input and no parent).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// When a parent or strength comes without an input, the parent is zero, the strength is outside 0 to 1, the model takes no
    /// input picture, or the input is too large, not PNG/JPEG/WebP, truncated or corrupt (the message says which).
    /// </exception>
    public static ImageToImageInput? Read(GenerateImageRequest request, ImageGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(generator);
        if (request.InputImage is not { } file)
        {
            return request.ParentRecord is null && request.Strength is null
                ? null
                : throw new ArgumentException("parentRecord and strength need an inputImage.", nameof(request));
        }

        if (!generator.SupportsImageToImage)
        {
            throw new ArgumentException("This image model does not take an input picture.", nameof(request));
        }

        if (request.ParentRecord is { IsZero: true })
        {
            throw new ArgumentException("parentRecord must be a record digest, not zero.", nameof(request));
        }

        var strength = request.Strength ?? ImageGenerationOptions.DefaultStrength;
        if (strength is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"strength must be 0 to 1; got {strength}.", nameof(request));
        }

        if (file.Length > MaxInputBytes)
        {
            throw new ArgumentException($"inputImage must be at most {MaxInputBytes:N0} bytes; got {file.Length:N0}.", nameof(request));
        }

        RgbImage picture;
        try
        {
            picture = ImageCodec.DecodeWithin(file, MaxInputPixels);
        }
        catch (UnreadableImageException e)
        {
            throw new ArgumentException($"inputImage: {e.Message}", nameof(request), e);
        }

        var (width, height) = OutputSize(request.Width, request.Height, picture);
        var derivation = new ImageDerivation(Bytes32.Sha256(file), strength, request.ParentRecord) { InputFile = file };
        return new ImageToImageInput(picture, width, height, derivation);
    }

    // Unset sides keep the input's aspect ratio, scaled so both sides fall within the node's bounds where the ratio allows.
    private static (int Width, int Height) OutputSize(int? width, int? height, RgbImage input)
    {
        var aspect = (double)input.Width / input.Height;
        return (width, height) switch
        {
            ({ } w, { } h) => (w, h),
            ({ } w, null) => (w, Side(w / aspect)),
            (null, { } h) => (Side(h * aspect), h),
            _ => Fit(input.Width, input.Height),
        };
    }

    private static (int Width, int Height) Fit(int width, int height)
    {
        var scale = Math.Max(1.0, (double)ContentGenerator.MinImageSide / Math.Min(width, height));
        scale = Math.Min(scale, (double)ContentGenerator.MaxImageSide / Math.Max(width, height));
        return (Side(width * scale), Side(height * scale));
    }

    private static int Side(double value) => Math.Clamp((int)Math.Round(value), ContentGenerator.MinImageSide, ContentGenerator.MaxImageSide);
}
