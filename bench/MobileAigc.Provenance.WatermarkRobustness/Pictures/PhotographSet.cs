using System.Security.Cryptography;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking.Tests.Image;

namespace MobileAigc.Provenance.WatermarkRobustness.Pictures;

/// <summary>
/// The photographs of the list, read from the data cache, each checked against its SHA-256 and resized to
/// <see cref="ShortSide"/> pixels (or another side) on its short side, its aspect ratio kept (real photographs are not square).
/// </summary>
public static class PhotographSet
{
    /// <summary>The short side every photograph is resized to by default, in pixels: 512.</summary>
    public const int ShortSide = 512;

    private const string FetchScript = "scripts/fetch-benchmark-data.sh";

    /// <summary>Where a listed file lies in the data cache: <c>CACHE/debian/PACKAGE/PATH</c>.</summary>
    public static string PathOf(PhotographEntry entry, string dataCache) =>
        Path.Combine(dataCache, "debian", entry.Package, entry.PathInPackage);

    /// <summary>
    /// Checks every listed file, then decodes them and resizes each to <paramref name="shortSide"/> pixels on its short side (in
    /// parallel). The set's results section is <c>photographs</c> at the default side and <c>photographs-SIDE</c> at any other, so that the
    /// results of both can stand in one document.
    /// </summary>
    /// <exception cref="BenchmarkInputException">
    /// When a file is missing or its SHA-256 differs from the list's: the message names the files (up to five) and the
    /// fetch script; nothing is decoded then. Also when a file cannot be decoded.
    /// </exception>
    public static PictureSet Load(IReadOnlyList<PhotographEntry> entries, string dataCache, int shortSide = ShortSide)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var problems = new List<string>();
        var files = new byte[entries.Count][];
        for (var i = 0; i < entries.Count; i++)
        {
            var path = PathOf(entries[i], dataCache);
            if (!File.Exists(path))
            {
                problems.Add($"missing: {path}");
                continue;
            }

            files[i] = File.ReadAllBytes(path);
            var actual = Convert.ToHexStringLower(SHA256.HashData(files[i]));
            if (actual != entries[i].Sha256)
            {
                problems.Add($"different file (SHA-256 {actual}, listed {entries[i].Sha256}): {path}");
            }
        }

        if (problems.Count > 0)
        {
            throw new BenchmarkInputException(
                $"{problems.Count} of the {entries.Count} photographs are missing or differ from the list:\n  "
                + string.Join("\n  ", problems.Take(5)) + (problems.Count > 5 ? $"\n  … and {problems.Count - 5} more" : "")
                + $"\nRun {FetchScript} to download and unpack the Debian packages into {Path.Combine(dataCache, "debian")}"
                + " (or pass --data-cache DIR / set MOBILEAIGC_DATA_CACHE to where they are).");
        }

        var pictures = new BenchmarkPicture[entries.Count];
        var enlarged = 0;
        Parallel.For(0, entries.Count, i =>
        {
            RgbImage decoded;
            try
            {
                decoded = ImageCodec.Decode(files[i]);
            }
            catch (UnreadableImageException e)
            {
                throw new BenchmarkInputException($"{PathOf(entries[i], dataCache)} cannot be decoded: {e.Message}");
            }

            if (Math.Min(decoded.Width, decoded.Height) < shortSide)
            {
                Interlocked.Increment(ref enlarged);
            }

            pictures[i] = new BenchmarkPicture(entries[i].Name, ToShortSide(decoded, shortSide));
        });
        return new PictureSet(
            shortSide == ShortSide ? "photographs" : $"photographs-{shortSide}",
            $"{entries.Count} distinct photographed scenes from Debian packages (photographs.tsv), resized to {shortSide} px on the short side with the aspect ratio kept ({enlarged} of them enlarged to get there)",
            pictures);
    }

    /// <summary>Resizes so the short side is <paramref name="shortSide"/>, the long side in proportion (rounded).</summary>
    public static RgbImage ToShortSide(RgbImage image, int shortSide)
    {
        ArgumentNullException.ThrowIfNull(image);
        var scale = (double)shortSide / Math.Min(image.Width, image.Height);
        var width = image.Width <= image.Height ? shortSide : (int)Math.Round(image.Width * scale);
        var height = image.Width <= image.Height ? (int)Math.Round(image.Height * scale) : shortSide;
        return width == image.Width && height == image.Height ? image : ImageAttacks.Resize(image, width, height);
    }
}
