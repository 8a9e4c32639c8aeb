using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Reads an image watermark for many keys at the cost of one: the tile is demodulated and decoded once with the
/// network's layout (the expensive part), and each key's MAC is tried only on the payloads that decode (about a
/// microsecond per key). Finds what <see cref="ImageWatermarker.Extract"/> with any one of the keys would find.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class ImageWatermarkReader
{
    private readonly PayloadMac[] _macs;
    private readonly ImageWatermarkOptions _options;

    /// <summary>A reader for <paramref name="keys"/> (any number, in the order <see cref="ImageWatermarkAttribution.KeyIndices"/> refers to).</summary>
    /// <param name="keys">The keys; may be empty (then nothing is ever found).</param>
    /// <param name="options">The search settings; null for the defaults. They must be those the marks were read with by <see cref="ImageWatermarker"/>.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="keys"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException">When an option is out of its documented range.</exception>
    public ImageWatermarkReader(IEnumerable<WatermarkKey> keys, ImageWatermarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _macs = [.. keys.Select(k => PayloadMac.For(k ?? throw new ArgumentNullException(nameof(keys), "A key is null.")))];
        _options = options ?? new ImageWatermarkOptions();
        _options.Validate();
        if (_options.MinScale > _options.MaxScale)
        {
            throw new ArgumentException($"MinScale ({_options.MinScale}) must not exceed MaxScale ({_options.MaxScale}).", nameof(options));
        }
    }

    /// <summary>How many keys the reader tries.</summary>
    public int KeyCount => _macs.Length;

    /// <summary>Looks for a watermark of any of the keys in <paramref name="image"/>. Never throws for a valid image.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    public ImageWatermarkAttribution Read(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (_macs.Length == 0)
        {
            return ImageWatermarkAttribution.NotFound;
        }

        List<int>? matches = null;
        // Chase decoding can give one codeword many times: each distinct one is tried against the keys once.
        var tried = new HashSet<(ulong Payload, ulong Tag)>();
        var reading = CodewordSearch.Extract(image, _options, (payload, tag) =>
        {
            if (!tried.Add((payload, tag)))
            {
                return false;
            }

            for (var i = 0; i < _macs.Length; i++)
            {
                if (_macs[i].Tag(payload) == tag)
                {
                    (matches ??= []).Add(i);
                }
            }

            return matches is not null;
        });
        return reading.Found && matches is not null ? new ImageWatermarkAttribution(reading, matches) : ImageWatermarkAttribution.NotFound;
    }
}
