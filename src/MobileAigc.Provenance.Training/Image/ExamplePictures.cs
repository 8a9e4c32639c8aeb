using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.Imaging;

using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// The creator's example pictures as colour samples: each picture is decoded safely (PNG or JPEG, size
/// checked before any pixel is allocated) and gives the same number of colours, drawn at seeded pixel
/// positions, so every picture weighs the same whatever its size.
/// </summary>
internal static class ExamplePictures
{
    /// <summary>The fewest pictures a run takes: one to learn from, one to hold out.</summary>
    public const int MinCount = 2;

    /// <summary>The most pictures a run takes.</summary>
    public const int MaxCount = 64;

    /// <summary>The largest picture accepted: 4,096 × 4,096 pixels (16.8 million).</summary>
    public const long MaxPixels = 4096L * 4096;

    /// <summary>The smallest side accepted: 16 pixels.</summary>
    public const int MinSide = 16;

    /// <summary>Colours sampled per picture.</summary>
    public const int ColoursPerPicture = 4096;

    /// <summary>
    /// The least spread of luma (standard deviation over every sampled colour of every picture, in 8-bit
    /// levels) accepted: 4. Flat examples would teach the model to draw flat pictures, which have no texture
    /// for the invisible watermark to hide in.
    /// </summary>
    public const double MinLumaSpread = 4;

    /// <summary>Checks the list, then decodes every picture and samples its colours (R, G, B in 0..1).</summary>
    /// <exception cref="FineTuneInputException">When the list is too short or too long, or a picture is unusable (the message names it).</exception>
    public static float[][] SampleColours(IReadOnlyList<byte[]> pictures, ulong seed, CancellationToken cancellationToken)
    {
        if (pictures.Count < MinCount)
        {
            throw new FineTuneInputException($"Fine-tuning the image model needs at least {MinCount} example pictures (one is held out to measure the loss); got {pictures.Count}.");
        }

        if (pictures.Count > MaxCount)
        {
            throw new FineTuneInputException($"Fine-tuning the image model takes at most {MaxCount} example pictures; got {pictures.Count}.");
        }

        var samples = new float[pictures.Count][];
        for (var i = 0; i < pictures.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = Decode(pictures[i], i, pictures.Count);
            samples[i] = Sample(image, new SeededRandom(seed ^ (0xC0_1005UL + (ulong)i)));
        }

        var spread = LumaSpread(samples);
        if (spread < MinLumaSpread)
        {
            throw new FineTuneInputException(
                $"The example pictures are nearly flat (their luma varies by {spread:F1} levels; at least {MinLumaSpread} needed): a model tuned on them would draw pictures without the texture the watermark needs.");
        }

        return samples;
    }

    /// <summary>The standard deviation of the BT.601 luma of every sample, in 8-bit levels.</summary>
    private static double LumaSpread(float[][] samples)
    {
        var (sum, squares, count) = (0.0, 0.0, 0L);
        foreach (var colours in samples)
        {
            for (var i = 0; i < colours.Length; i += 3)
            {
                var luma = 255.0 * ((ImageCodec.LumaRed * colours[i]) + (ImageCodec.LumaGreen * colours[i + 1]) + (ImageCodec.LumaBlue * colours[i + 2]));
                sum += luma;
                squares += luma * luma;
                count++;
            }
        }

        var mean = sum / count;
        return Math.Sqrt(Math.Max(0, (squares / count) - (mean * mean)));
    }

    private static RgbImage Decode(byte[]? file, int index, int count)
    {
        var name = $"Example picture {index + 1} of {count}";
        if (file is null || file.Length == 0)
        {
            throw new FineTuneInputException(index, $"{name} is empty.");
        }

        RgbImage image;
        try
        {
            image = ImageCodec.DecodeWithin(file, MaxPixels);
        }
        catch (UnreadableImageException e)
        {
            throw new FineTuneInputException(index, $"{name} cannot be used ({e.Reason}): {e.Message}", e);
        }

        if (image.Width < MinSide || image.Height < MinSide)
        {
            throw new FineTuneInputException(index, $"{name} is {image.Width}×{image.Height} pixels; each side must be at least {MinSide}.");
        }

        return image;
    }

    private static float[] Sample(RgbImage image, SeededRandom random)
    {
        var colours = new float[ColoursPerPicture * 3];
        var pixels = image.Pixels;
        for (var i = 0; i < ColoursPerPicture; i++)
        {
            var offset = ((random.NextInt(image.Height) * image.Width) + random.NextInt(image.Width)) * 3;
            colours[3 * i] = pixels[offset] / 255f;
            colours[(3 * i) + 1] = pixels[offset + 1] / 255f;
            colours[(3 * i) + 2] = pixels[offset + 2] / 255f;
        }

        return colours;
    }
}
