using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
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

            return Apply(image, pattern.AsSpan(0, length), 10 * Math.Log10(255.0 * 255.0 / mse));
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

    /// <summary>
    /// The luma with its low frequencies removed, its local contrast normalised and clipped, then locally
    /// whitened (<see cref="SpectralWhitening"/>), written to <paramref name="target"/> (the luma's size): what is left is
    /// mostly watermark and the picture's broadband texture, with no region (an edge, a bright sky) and no locally dominant
    /// frequency (a stripe pattern) dominating.
    /// The embedder measures the host through this same function, so the two must stay one.
    /// </summary>
    internal static void Residual(LumaPlane luma, LumaPlane target)
    {
        var normalised = LumaPlane.Rent(luma.Width, luma.Height);
        try
        {
            SpectralWhitening.Apply(Normalised(luma, normalised.Values), target);
        }
        finally
        {
            normalised.Return();
        }
    }

    /// <summary><see cref="Residual"/> of two planes at once (about the cost of one).</summary>
    internal static void Residuals(LumaPlane first, LumaPlane second, LumaPlane targetFirst, LumaPlane targetSecond)
    {
        var normalisedFirst = LumaPlane.Rent(first.Width, first.Height);
        var normalisedSecond = LumaPlane.Rent(second.Width, second.Height);
        try
        {
            SpectralWhitening.Apply(Normalised(first, normalisedFirst.Values), Normalised(second, normalisedSecond.Values), targetFirst, targetSecond);
        }
        finally
        {
            normalisedFirst.Return();
            normalisedSecond.Return();
        }
    }

    /// <summary>
    /// The luma high-passed, divided by its local RMS and clipped, written to <paramref name="target"/> (at least the
    /// plane's size; pooled by the caller, since it only feeds the whitening): <see cref="Residual"/> before whitening.
    /// </summary>
    internal static LumaPlane Normalised(LumaPlane luma, float[] target)
    {
        // The intermediate planes are pooled (see LumaPlane.BoxBlur); the arithmetic is the scalar version's, lane by lane.
        var length = luma.Width * luma.Height;
        var smooth = ArrayPool<float>.Shared.Rent(length);
        var energy = ArrayPool<float>.Shared.Rent(length);
        var localEnergy = ArrayPool<float>.Shared.Rent(length);
        try
        {
            luma.BoxBlur(smooth, radius: 4, passes: 3);
            var lanes = Vector<float>.Count;
            var vectorEnd = length - length % lanes;
            var source = luma.Values;

            // Through references, the planes checked once: bounds checks on every vector cost as much as the arithmetic.
            ref var sourceRef = ref MemoryMarshal.GetReference(source.AsSpan(0, length));
            ref var smoothRef = ref MemoryMarshal.GetReference(smooth.AsSpan(0, length));
            ref var targetRef = ref MemoryMarshal.GetReference(target.AsSpan(0, length));
            ref var energyRef = ref MemoryMarshal.GetReference(energy.AsSpan(0, length));
            ref var localEnergyRef = ref MemoryMarshal.GetReference(localEnergy.AsSpan(0, length));
            for (nuint i = 0; i < (nuint)vectorEnd; i += (nuint)lanes)
            {
                var value = Vector.LoadUnsafe(ref sourceRef, i) - Vector.LoadUnsafe(ref smoothRef, i);
                value.StoreUnsafe(ref targetRef, i);
                (value * value).StoreUnsafe(ref energyRef, i);
            }

            for (var i = vectorEnd; i < length; i++)
            {
                var value = source[i] - smooth[i];
                target[i] = value;
                energy[i] = value * value;
            }

            new LumaPlane(luma.Width, luma.Height, energy).BoxBlur(localEnergy, radius: 8);
            var (low, high, one) = (new Vector<float>(-4f), new Vector<float>(4f), Vector<float>.One);
            for (nuint i = 0; i < (nuint)vectorEnd; i += (nuint)lanes)
            {
                var value = Vector.LoadUnsafe(ref targetRef, i) / Vector.SquareRoot(Vector.LoadUnsafe(ref localEnergyRef, i) + one);
                Vector.Min(Vector.Max(value, low), high).StoreUnsafe(ref targetRef, i);
            }

            for (var i = vectorEnd; i < length; i++)
            {
                target[i] = Math.Clamp(target[i] / MathF.Sqrt(localEnergy[i] + 1f), -4f, 4f);
            }

            return new LumaPlane(luma.Width, luma.Height, target);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(smooth);
            ArrayPool<float>.Shared.Return(energy);
            ArrayPool<float>.Shared.Return(localEnergy);
        }
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

    /// <summary>
    /// Adds gain × <paramref name="pattern"/> to R, G and B, with the gain chosen so that the PSNR of the
    /// rounded, clipped result is as close to <paramref name="targetPsnrDb"/> as possible without going below it.
    /// </summary>
    private static RgbImage Apply(RgbImage image, ReadOnlySpan<float> pattern, double targetPsnrDb)
    {
        var targetMse = 255.0 * 255.0 / Math.Pow(10, targetPsnrDb / 10);
        var power = SumOfSquares(pattern) / pattern.Length;
        if (power <= 0)
        {
            return image.Clone();
        }

        var source = image.Pixels;
        var gain = Math.Sqrt(targetMse / power);
        var maxGain = 4 * gain;

        // Rounding adds error and clipping removes it, so the gain is first fitted on every 7th pixel ...
        gain = FitOnSample(source, pattern, gain, maxGain, targetMse, stride: 7);

        // ... then checked exactly on the result, and lowered until the target holds.
        // Every byte is written below, so the array need not be zeroed first.
        var marked = GC.AllocateUninitializedArray<byte>(source.Length);
        while (true)
        {
            var total = LumaDelta.Add(source, pattern, (float)gain, marked);
            var mse = (double)total / source.Length;
            if (mse <= targetMse || gain < 1e-3)
            {
                return RgbImage.FromPixels(image.Width, image.Height, marked);
            }

            gain *= Math.Min(0.995, Math.Sqrt(targetMse / mse));
        }
    }

    /// <summary>The sum of the squares, in double precision, vector by vector.</summary>
    internal static double SumOfSquares(ReadOnlySpan<float> values)
    {
        var lanes = Vector<float>.Count;
        var vectorEnd = values.Length - values.Length % lanes;
        var sum = Vector<double>.Zero;
        for (var i = 0; i < vectorEnd; i += lanes)
        {
            Vector.Widen(new Vector<float>(values[i..]), out var low, out var high);
            sum += low * low + high * high;
        }

        var total = Vector.Sum(sum);
        for (var i = vectorEnd; i < values.Length; i++)
        {
            total += (double)values[i] * values[i];
        }

        return total;
    }

    /// <summary>
    /// Fits the gain on every <paramref name="stride"/>th pixel: four times, the gain scaled by the square root of the target
    /// over the squared error it leaves there. The sampled pixels are copied out once, so that each fit is one vectorised
    /// pass of <see cref="LumaDelta.Add"/> (the same arithmetic, pixel by pixel, as the final result's).
    /// </summary>
    private static double FitOnSample(byte[] source, ReadOnlySpan<float> pattern, double gain, double maxGain, double targetMse, int stride)
    {
        var samples = (pattern.Length + stride - 1) / stride;
        var sampleSource = ArrayPool<byte>.Shared.Rent(3 * samples);
        var sampleMarked = ArrayPool<byte>.Shared.Rent(3 * samples);
        var samplePattern = ArrayPool<float>.Shared.Rent(samples);
        try
        {
            for (var k = 0; k < samples; k++)
            {
                var (i, j) = (k * stride, 3 * k * stride);
                samplePattern[k] = pattern[i];
                (sampleSource[3 * k], sampleSource[3 * k + 1], sampleSource[3 * k + 2]) = (source[j], source[j + 1], source[j + 2]);
            }

            for (var step = 0; step < 4; step++)
            {
                var mse = (double)LumaDelta.Add(sampleSource, samplePattern.AsSpan(0, samples), (float)gain, sampleMarked) / (3 * samples);
                if (mse <= 0)
                {
                    return maxGain;
                }

                gain = Math.Min(maxGain, gain * Math.Sqrt(targetMse / mse));
            }

            return gain;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sampleSource);
            ArrayPool<byte>.Shared.Return(sampleMarked);
            ArrayPool<float>.Shared.Return(samplePattern);
        }
    }
}
