using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>An image watermark found by <see cref="WatermarkKeyRing.ReadImage"/>.</summary>
/// <param name="KeyIndex">Which configured key file read it (0-based, in configuration order).</param>
/// <param name="Payload">The 64-bit payload.</param>
/// <param name="Confidence">0 to 1 (see <see cref="ImageWatermarkReading.Confidence"/>).</param>
public sealed record ImageWatermarkHit(int KeyIndex, ulong Payload, double Confidence);

/// <summary>
/// The node watermark keys the ledger was given (<see cref="VerificationOptions.WatermarkKeyFiles"/>),
/// each with its image reader. Thread-safe: <see cref="ImageWatermarker.Extract"/> keeps no state.
/// </summary>
public sealed class WatermarkKeyRing
{
    private readonly IReadOnlyList<ImageWatermarker> _readers;

    /// <summary>A ring over keys already in memory (tests, tools).</summary>
    public WatermarkKeyRing(IEnumerable<WatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = [.. keys];
        _readers = [.. Keys.Select(k => new ImageWatermarker(k))];
    }

    /// <summary>How many keys the ring holds.</summary>
    public int Count => _readers.Count;

    /// <summary>The keys, in configuration order (the text watermark detector uses them too).</summary>
    public IReadOnlyList<WatermarkKey> Keys { get; }

    /// <summary>Reads each key file as the edge node writes it (64 hex digits, optional 0x, surrounding whitespace ignored).</summary>
    /// <exception cref="InvalidOperationException">When a file is missing, unreadable or not a key; the message names the file, never its content.</exception>
    public static WatermarkKeyRing Load(IEnumerable<string> keyFiles)
    {
        ArgumentNullException.ThrowIfNull(keyFiles);
        return new WatermarkKeyRing(keyFiles.Select(LoadKey).ToList());
    }

    /// <summary>One key file, parsed as <c>NodeSecrets</c> of the edge node does.</summary>
    /// <exception cref="InvalidOperationException">When the file is missing, unreadable or not a key.</exception>
    public static WatermarkKey LoadKey(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return WatermarkKey.Parse(File.ReadAllText(path).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            // The parser's message never quotes the key; ours names only the file.
            throw new InvalidOperationException($"Watermark key file '{path}' cannot be used: {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Tries every key in order and returns the first watermark found. The MAC inside the payload
    /// makes a wrong key's false positive negligible, so the first hit is the answer. Cost: one
    /// extraction per key until a hit (about 30 ms each at 512 × 512).
    /// </summary>
    public ImageWatermarkHit? ReadImage(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width < ImageWatermarker.MinimumReadableSide || image.Height < ImageWatermarker.MinimumReadableSide)
        {
            return null;
        }

        for (var i = 0; i < _readers.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reading = _readers[i].Extract(image);
            if (reading is { Found: true, Payload: { } payload })
            {
                return new ImageWatermarkHit(i, payload, reading.Confidence);
            }
        }

        return null;
    }
}
