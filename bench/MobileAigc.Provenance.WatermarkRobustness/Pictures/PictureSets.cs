using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.WatermarkRobustness.Pictures;

/// <summary>Loads the picture set a <see cref="PictureSetRequest"/> asks for.</summary>
public static class PictureSets
{
    /// <summary>The side of generated, synthetic and folder pictures: 512 (square).</summary>
    public const int Side = 512;

    /// <summary>Loads one set.</summary>
    /// <param name="request">Which set.</param>
    /// <param name="settings">The run's settings (data cache and photograph list).</param>
    /// <param name="generator">The image model, needed for <see cref="PictureSource.Generated"/>.</param>
    /// <exception cref="BenchmarkInputException">When the photographs are missing or altered, or a folder holds no readable picture.</exception>
    public static PictureSet Load(PictureSetRequest request, BenchmarkSettings settings, GeneratedImages? generator)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(settings);
        return request.Source switch
        {
            PictureSource.Generated => Generated(request.Count, generator ?? throw new ArgumentNullException(nameof(generator))),
            PictureSource.Photographs => PhotographSet.Load(PhotographEntry.ReadList(settings.PhotographList), settings.DataCache, settings.PhotographSide),
            PictureSource.Synthetic => Synthetic(request.Count),
            _ => Folder(request.Directory!, request.Count),
        };
    }

    private static PictureSet Generated(int count, GeneratedImages generator)
    {
        var images = new RgbImage[count];
        Parallel.For(0, count, i => images[i] = generator.Create((ulong)i + 1, Side));
        return new PictureSet(
            "generated",
            $"rendered by models/cppn-image, seeds 1 to {count}, {GeneratedImages.Prompts.Count} prompts in turn, {Side}x{Side}",
            [.. images.Select((image, i) => new BenchmarkPicture($"seed {i + 1}", image))]);
    }

    private static PictureSet Synthetic(int count) => new(
        "synthetic",
        $"synthetic, {SyntheticImages.KindCount} kinds",
        [.. Enumerable.Range(0, count).Select(i => new BenchmarkPicture(SyntheticImages.KindNames[i % SyntheticImages.KindCount], SyntheticImages.Create(i)))]);

    private static PictureSet Folder(string directory, int count)
    {
        if (!Directory.Exists(directory))
        {
            throw new BenchmarkInputException($"The folder {directory} does not exist.");
        }

        var pictures = new List<BenchmarkPicture>();
        var files = Directory.EnumerateFiles(directory)
            .Where(f => f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Take(count);
        foreach (var file in files)
        {
            RgbImage decoded;
            try
            {
                decoded = ImageCodec.Decode(File.ReadAllBytes(file));
            }
            catch (UnreadableImageException e)
            {
                Console.Error.WriteLine($"Skipping {file}: {e.Message}");
                continue;
            }

            var side = Math.Min(decoded.Width, decoded.Height);
            var square = ImageAttacks.Crop(decoded, (decoded.Width - side) / 2, (decoded.Height - side) / 2, side, side);
            pictures.Add(new BenchmarkPicture(Path.GetFileName(file), side == Side ? square : ImageAttacks.Resize(square, Side, Side)));
        }

        return pictures.Count > 0
            ? new PictureSet("folder-" + new DirectoryInfo(directory).Name, $"files from {directory}, centre-cropped and resized to {Side}x{Side}", pictures)
            : throw new BenchmarkInputException($"The folder {directory} holds no readable PNG or JPEG file.");
    }
}
