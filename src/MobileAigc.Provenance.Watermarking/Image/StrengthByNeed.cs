using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// How strongly to mark a picture that needs it: the informed embedding cancels the host's own energy at the carriers as the
/// whole picture folds it, but a rotation, stretch or crop folds a different set of pixels under a different grid, and the
/// cancellation is lost. What is left is the plain part of the mark and the informed part's margin, against the host's
/// interference. This predicts how many Reed-Solomon symbols such a reading gets wrong; a picture predicted to get more
/// than <see cref="ToleratedSymbolErrors"/> wrong is strengthened, as far as needed and as far as its texture allows
/// (<see cref="TextureMasking"/>), and every other picture keeps the target.
/// </summary>
/// <remarks>
/// The prediction takes each message chip as read by the plain mark (its amplitude times the reader's gain at the carrier,
/// measured by the embedder) plus the margin, against Gaussian interference of the host's RMS at the message carriers (as
/// the whole picture folds it), chips independent, each bit one chip; it ranks pictures, it is not a reading. On the 77
/// photographs it predicts at most 0.37 wrong symbols for every photograph that fails no row of the robustness benchmark,
/// and 10.4 to 22.2 for the six that fail 8 to 31 of its 31 rows (docs/benchmarks/watermark-robustness.md, "Strength by need").
/// </remarks>
internal static class StrengthByNeed
{
    /// <summary>
    /// The predicted wrong symbols (of 32) above which a picture is strengthened: 2.5, well inside the 8 Reed-Solomon corrects,
    /// since an attack adds errors of its own (JPEG, resampling) to those the lost cancellation causes. Chosen on the robustness
    /// benchmark as the largest of 3, 2.5 and 2 at which the generated pictures meet 98 % after every attack (rotation by 45°
    /// cropped: 58, 59 and 60 of 60) with their median PSNR at 42 dB or more (2 strengthens 32 of 60, median 41.95 dB; 2.5
    /// strengthens 23); the photographs' table is the same at all three.
    /// </summary>
    public const double ToleratedSymbolErrors = 2.5;

    /// <summary>
    /// How many times a region's mark RMS the texture of every block in and around it must be for the region to get a
    /// stronger plain mark: 3.5, the mark at least 10.9 dB under the texture that hides it. The whole picture's rule
    /// (<see cref="TextureMasking.TextureToMarkRatio"/>, 7) was set by how many generated pictures it strengthens, not by
    /// visibility; contrast masking raises a pattern's visibility threshold with the masker's contrast (as a power of about
    /// 0.6 to 0.7), and the strengthened pictures, looked at side by side with main's marks at 3 ×, show no pattern
    /// (docs/benchmarks/watermark-robustness.md, "Strength by need"). At 5 the local rule won 2 rows of 21 photographs, at 3.5 it won 20.
    /// </summary>
    public const double LocalTextureToMarkRatio = 3.5;

    private const int CodewordSymbols = 32;
    private const int BitsPerSymbol = 6;

    /// <summary>
    /// The expected number of wrong symbols in the codeword when message chip c reads <paramref name="reads"/>[c] +
    /// <paramref name="margin"/> against Gaussian interference of RMS <paramref name="noiseRms"/> (all in reader units).
    /// </summary>
    public static double PredictedSymbolErrors(ReadOnlySpan<double> reads, double margin, double noiseRms)
    {
        if (reads.IsEmpty || !(noiseRms > 0))
        {
            return 0;
        }

        var bitError = 0.0;
        foreach (var read in reads)
        {
            bitError += UpperTail((read + margin) / noiseRms);
        }

        bitError /= reads.Length;
        return CodewordSymbols * (1 - Math.Pow(1 - bitError, BitsPerSymbol));
    }

    /// <summary>
    /// The least factor in [1, <paramref name="most"/>] at which <paramref name="holds"/> (false below some factor, true from it on)
    /// is true, to a relative 1e-9; <paramref name="most"/> when it is false even there.
    /// </summary>
    public static double LeastFactorWhere(Func<double, bool> holds, double most)
    {
        if (most <= 1 || holds(1))
        {
            return 1;
        }

        if (!holds(most))
        {
            return most;
        }

        var (low, high) = (1.0, most);
        for (var step = 0; step < 40 && high - low > 1e-9 * high; step++)
        {
            var middle = 0.5 * (low + high);
            (low, high) = holds(middle) ? (low, middle) : (middle, high);
        }

        return high;
    }

    /// <summary>
    /// The largest factor f ≥ 1 on the plain coefficients <paramref name="plain"/> for which a region whose tile is
    /// <paramref name="informed"/> + f × <paramref name="plain"/> has a mean square of at most <paramref name="allowed"/>, where
    /// <paramref name="perUnit"/> converts a sum of squared coefficients into the pattern's mean square; 1 when even f = 1 exceeds it.
    /// </summary>
    public static double MostPlainFactor(ReadOnlySpan<Complex> informed, ReadOnlySpan<Complex> plain, double perUnit, double allowed)
    {
        // perUnit · Σ|I + fP|² = allowed: a f² + b f + c = 0, the larger root.
        var (a, b, c) = (0.0, 0.0, -allowed / perUnit);
        for (var k = 0; k < plain.Length; k++)
        {
            a += plain[k].Magnitude * plain[k].Magnitude;
            b += 2 * (Complex.Conjugate(informed[k]) * plain[k]).Real;
            c += informed[k].Magnitude * informed[k].Magnitude;
        }

        var discriminant = b * b - 4 * a * c;
        return a <= 0 || discriminant <= 0 ? 1 : Math.Max(1, (-b + Math.Sqrt(discriminant)) / (2 * a));
    }

    /// <summary>The standard normal upper tail Q(z) (Abramowitz and Stegun 7.1.26 for erfc; absolute error under 1.5e-7).</summary>
    internal static double UpperTail(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * erfc : 1 - 0.5 * erfc;
    }
}
