using System.Buffers;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// A robust, keyed, invisible image watermark carrying a 64-bit payload in the luma (Y of YCbCr).
/// </summary>
/// <remarks>
/// <para>
/// Embedding adds one tile of <c>64 × 64</c> pixels (for images whose short side is up to
/// 512 pixels; proportionally larger above), repeated over the whole image, to R, G and B alike, so
/// only the luma changes. The tile is a sum of mid-frequency sinusoids (periods of about 7 to 26
/// pixels): 30 of them form a sync pattern, the others carry a Reed-Solomon codeword
/// (GF(64), 32 symbols, 17 of them parity) holding the payload and a 26-bit MAC of it keyed by this key. The mark
/// is scaled so the marked image has <see cref="ImageWatermarkOptions.TargetPsnrDb"/>, never less, unless the embedder predicts
/// that the mark would not survive a rotation, stretch or crop and the picture's texture hides a stronger one: then it grows,
/// as a whole where the picture is textured nearly everywhere and in regions textured all around, by up to
/// <see cref="ImageWatermarkOptions.TextureMaskingMaxDb"/> (to 38 dB by default; <see cref="ImageWatermarkOptions.StrengthByNeed"/>).
/// </para>
/// <para>
/// The tile's layout (sync pattern, carriers, chip places, scrambling) is the network's, the same for every key;
/// only the MAC is this key's. So one demodulation serves any number of keys (<see cref="ImageWatermarkReader"/>),
/// anyone can read a mark's payload (a record's public watermark id) and its tag, and only a holder of the key can
/// make a tag the key accepts for a new payload.
/// </para>
/// <para>
/// Embedding is informed (<see cref="ImageWatermarkOptions.InformedEmbedding"/>): the embedder measures what the
/// reader would see of the picture itself at every carrier and spends the PSNR budget on making each chip read
/// right with a margin, cancelling the picture's own energy where it opposes the mark. Reading whitens the
/// picture's spectrum locally first (in 64-pixel blocks, each frequency divided by its own magnitude), which
/// suppresses texture concentrated on a few frequencies, such as the striations of generated images.
/// </para>
/// <para>
/// Extraction needs no side information: it tries the grid as embedded first, then finds the tile grid's rotation (any
/// angle), scale and stretch from the Fourier magnitude (which ignores crops and shifts), folds the image onto one tile,
/// tells quarter turns and mirrors apart and locates the tile by correlating with the sync pattern, and decodes (Chase soft decoding over ZXing's
/// Reed-Solomon decoder, each chip weighed by the gain and noise the sync carriers measure at its radius); when a reflected
/// fill or a pasted part spoils the fold, it folds again from only the regions that carry the mark. A payload is reported
/// only when Reed-Solomon decoding succeeds and this key's MAC matches, which bounds false positives below 10^-13 per image
/// (see docs/benchmarks/watermark-robustness.md).
/// </para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ImageWatermarker
{
    /// <summary>The smallest side, in pixels, of an image that <see cref="Embed"/> accepts: 128 (two tiles).</summary>
    public const int MinimumSide = 128;

    /// <summary>
    /// The fewest pixels an image that <see cref="Embed"/> accepts may have: 65,536 (256 × 256). At a fixed
    /// PSNR the mark's total energy grows with the area; below this it no longer outweighs the picture's
    /// own texture reliably (unattacked reads succeeded for 13 of 36 pictures at 128 × 128, 34 of 36 at
    /// 240 × 240, and 36 of 36 at 320 × 240).
    /// </summary>
    public const int MinimumPixels = 256 * 256;

    /// <summary>Below this short side, in pixels, <see cref="Extract"/> reports nothing without looking: 64 (one tile).</summary>
    public const int MinimumReadableSide = 64;

    /// <summary>The short side, in pixels, to which the reader brings large images (by an integer factor) and thumbnails.</summary>
    internal const int NormalisedSide = 512;

    private readonly ImageWatermarkOptions _options;
    private readonly PayloadMac _mac;

    /// <summary>Creates a watermarker for one key.</summary>
    /// <param name="key">The secret; the same key must be used to embed and to extract.</param>
    /// <param name="options">Strength and search settings; null for the defaults (see <see cref="ImageWatermarkOptions"/>).</param>
    /// <exception cref="ArgumentNullException">When <paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">When an option is out of its documented range.</exception>
    public ImageWatermarker(WatermarkKey key, ImageWatermarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _options = options ?? new ImageWatermarkOptions();
        _options.Validate();
        if (_options.MinScale > _options.MaxScale)
        {
            throw new ArgumentException($"MinScale ({_options.MinScale}) must not exceed MaxScale ({_options.MaxScale}).", nameof(options));
        }

        _mac = PayloadMac.For(key);
    }

    /// <summary>Returns a watermarked copy of <paramref name="image"/> carrying <paramref name="payload"/>; the input is not changed.</summary>
    /// <param name="image">At least <see cref="MinimumSide"/> pixels on each side and <see cref="MinimumPixels"/> in all.</param>
    /// <param name="payload">Any 64-bit value.</param>
    /// <returns>
    /// A new image whose PSNR against <paramref name="image"/> is at least <see cref="ImageWatermarkOptions.TargetPsnrDb"/>, or, for a
    /// picture that needs and whose texture masks a stronger mark, at least <see cref="ImageWatermarkOptions.TargetPsnrDb"/> − <see cref="ImageWatermarkOptions.TextureMaskingMaxDb"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException">When a side of <paramref name="image"/> is below <see cref="MinimumSide"/> or its area below <see cref="MinimumPixels"/>; the message states both minimums.</exception>
    public RgbImage Embed(RgbImage image, ulong payload) => EmbedTagged(image, payload, _mac.Tag(payload));

    /// <summary>
    /// <see cref="Embed(RgbImage, ulong)"/> with a tag given instead of this key's: what anyone who knows the network's layout can
    /// do, such as copying a codeword read from another picture (tests of the design's limits use it).
    /// </summary>
    internal RgbImage EmbedTagged(RgbImage image, ulong payload, ulong tag)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width < MinimumSide || image.Height < MinimumSide || image.PixelCount < MinimumPixels)
        {
            throw new ArgumentException(
                $"The image is {image.Width}×{image.Height} pixels; a watermark needs sides of at least {MinimumSide} pixels " +
                $"and at least {MinimumPixels:N0} pixels in all (256×256).", nameof(image));
        }

        var codeword = CodewordSearch.Codec.Encode(payload, tag);
        var layout = CodewordSearch.Layout;
        var mask = _options.MaskingExponent > 0 ? PerceptualMask(LumaPlane.FromImage(image), _options.MaskingExponent) : null;
        var tileScale = Math.Max(1.0, Math.Min(image.Width, image.Height) / (double)NormalisedSide);
        var length = image.Width * image.Height;

        // The full-resolution pattern and the luma are pooled: fresh ones per call land on the large-object heap, whose
        // fresh pages (4 MB per megapixel for the pattern) cost more to fault in and collect than the arithmetic on them.
        var factor = ReadFactor(image);
        var pattern = ArrayPool<float>.Shared.Rent(length);
        var luma = LumaPlane.FromImage(image, factor, LumaPlane.Rent(image.Width / factor, image.Height / factor));
        try
        {
            var strength = Strength(luma);
            var mse = strength.TextureMaskedMse;
            if (_options.InformedEmbedding)
            {
                mse = InformedEmbedding.Pattern(layout, layout.Chips(codeword), luma, mask, tileScale, factor, strength, image.Width, image.Height, pattern);
            }
            else
            {
                TilePattern.Paint(pattern, image.Width, mask, layout.BuildTile(codeword), tileScale, 0, 0, image.Width, image.Height);
            }

            return PsnrFit.Apply(image, pattern.AsSpan(0, length), mse);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pattern);
            luma.Return();
        }
    }

    /// <summary>
    /// The strengths a picture whose luma at the reader's resolution is <paramref name="luma"/> may be marked at: the target; the
    /// whole picture's allowance when its texture masks a stronger mark (<see cref="TextureMasking"/>, lower by up to
    /// <see cref="ImageWatermarkOptions.TextureMaskingMaxDb"/>); and, with <see cref="ImageWatermarkOptions.StrengthByNeed"/>, its
    /// texture per block, for the informed embedding to choose among them by need (<see cref="StrengthByNeed"/>).
    /// </summary>
    private MarkStrength Strength(LumaPlane luma)
    {
        var target = MeanSquare(_options.TargetPsnrDb);
        if (_options.TextureMaskingMaxDb <= 0)
        {
            return new MarkStrength(target, target, target, null);
        }

        var floorDb = _options.TargetPsnrDb - _options.TextureMaskingMaxDb;
        var texture = TextureMasking.Map(luma);
        return new MarkStrength(
            target, MeanSquare(TextureMasking.PsnrDb(texture, _options.TargetPsnrDb, floorDb)), MeanSquare(floorDb),
            _options.StrengthByNeed && _options.InformedEmbedding ? texture : null);
    }

    private static double MeanSquare(double psnrDb) => 255.0 * 255.0 / Math.Pow(10, psnrDb / 10);

    /// <summary>The factor by which <see cref="Extract"/> shrinks an image before reading it (large images to about 512 pixels on the short side).</summary>
    internal static int ReadFactor(RgbImage image) => Math.Max(1, (int)Math.Round(Math.Min(image.Width, image.Height) / (double)NormalisedSide));

    /// <summary>Looks for this key's watermark in <paramref name="image"/>. Never throws for a valid image.</summary>
    /// <param name="image">Any size; images whose short side is below <see cref="MinimumReadableSide"/> read as not found.</param>
    /// <returns>The reading; <see cref="ImageWatermarkReading.NotFound"/> when there is no watermark for this key.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    public ImageWatermarkReading Extract(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return CodewordSearch.Extract(image, _options, (payload, tag) => tag == _mac.Tag(payload));
    }

    /// <summary>Per pixel, (local standard deviation + 2)^exponent, normalised to mean 1 and clamped to [0.25, 4].</summary>
    private static LumaPlane PerceptualMask(LumaPlane luma, double exponent)
    {
        var squares = new LumaPlane(luma.Width, luma.Height);
        for (var i = 0; i < squares.Values.Length; i++)
        {
            squares.Values[i] = luma.Values[i] * luma.Values[i];
        }

        var mean = luma.BoxBlur(radius: 4);
        var meanSquare = squares.BoxBlur(radius: 4);
        var mask = new LumaPlane(luma.Width, luma.Height);
        var total = 0.0;
        for (var i = 0; i < mask.Values.Length; i++)
        {
            var variance = Math.Max(0f, meanSquare.Values[i] - mean.Values[i] * mean.Values[i]);
            var value = (float)Math.Pow(Math.Sqrt(variance) + 2, exponent);
            mask.Values[i] = value;
            total += value;
        }

        var norm = (float)(mask.Values.Length / total);
        for (var i = 0; i < mask.Values.Length; i++)
        {
            mask.Values[i] = Math.Clamp(mask.Values[i] * norm, 0.25f, 4f);
        }

        return mask;
    }

}
