using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// One picture's prediction of <see cref="StrengthByNeed"/>: the reader's gain at each message carrier (over the whole picture
/// and per region of <see cref="InformedEmbedding"/>) and the host's interference there, as the embedder measured them.
/// </summary>
internal sealed class NeedModel
{
    private readonly double[] _gains;
    private readonly double[][] _regionShares;
    private readonly double _noiseRms;
    private readonly IReadOnlyList<ReaderResponse.Region> _regions;

    /// <summary>Takes the measurements of one picture.</summary>
    /// <param name="layout">The network's layout (which carriers hold the message, their phases).</param>
    /// <param name="gain">Per band coefficient, the reader's gain over the whole picture.</param>
    /// <param name="host">Per band coefficient, the host as the whole picture folds it (before any cancellation).</param>
    /// <param name="regions">The embedder's regions, with their own gains.</param>
    public NeedModel(WatermarkLayout layout, Complex[] gain, Complex[] host, IReadOnlyList<ReaderResponse.Region> regions)
    {
        var message = layout.MessageCoefficients;
        _regions = regions;
        _gains = new double[message.Length];
        _regionShares = new double[regions.Count][];
        for (var r = 0; r < regions.Count; r++)
        {
            _regionShares[r] = new double[message.Length];
        }

        var noise = 0.0;
        for (var m = 0; m < message.Length; m++)
        {
            var k = message[m];
            _gains[m] = gain[k].Magnitude;

            // The host as the chip's reading sees it: projected on the carrier's phase and gain.
            var seen = host[k] * Complex.Conjugate(layout.Phases[k] * (gain[k] / gain[k].Magnitude));
            noise += seen.Real * seen.Real + seen.Imaginary * seen.Imaginary;

            // How much of the whole picture's reading each region gives (its area times its gain), for a factor per region.
            var total = 0.0;
            for (var r = 0; r < regions.Count; r++)
            {
                total += _regionShares[r][m] = regions[r].Area * regions[r].Magnitudes[k];
            }

            for (var r = 0; r < regions.Count; r++)
            {
                _regionShares[r][m] /= total;
            }
        }

        _noiseRms = Math.Sqrt(noise / (2 * message.Length));
    }

    /// <summary>The predicted wrong symbols without the cancellation, with the plain mark at <paramref name="plain"/> everywhere.</summary>
    public double Errors(double plain, double margin) => Errors(plain, margin, null);

    /// <summary>
    /// Per region, the factor on the plain mark: the least common factor that brings the predicted wrong symbols to
    /// <see cref="StrengthByNeed.ToleratedSymbolErrors"/>, in each region no more than its texture allows (the region's mark RMS at
    /// most <see cref="TextureMap.LeastAround"/> over <see cref="StrengthByNeed.LocalTextureToMarkRatio"/>), never less than 1, and
    /// the whole picture's mean square never above <see cref="MarkStrength.FloorMse"/>.
    /// </summary>
    /// <param name="plain">The plain mark's amplitude.</param>
    /// <param name="margin">The informed chips' margin.</param>
    /// <param name="informed">Per region, the informed part's tile coefficients.</param>
    /// <param name="plainCoefficients">The plain part's tile coefficients.</param>
    /// <param name="strength">The allowances (its <see cref="MarkStrength.Texture"/> must be set).</param>
    /// <param name="perUnit">The pattern's mean square per unit of area-weighted squared coefficients.</param>
    public double[] LocalFactors(double plain, double margin, Complex[][] informed, Complex[] plainCoefficients, MarkStrength strength, double perUnit)
    {
        var texture = strength.Texture ?? throw new ArgumentException("The local allowance needs the picture's texture.", nameof(strength));
        var most = new double[_regions.Count];
        for (var r = 0; r < _regions.Count; r++)
        {
            var region = _regions[r];
            var masked = texture.LeastAround(region.X0, region.Y0, region.X1, region.Y1) / StrengthByNeed.LocalTextureToMarkRatio;
            most[r] = StrengthByNeed.MostPlainFactor(informed[r], plainCoefficients, perUnit, masked * masked);
        }

        // The whole picture keeps the floor: the common factor at which its mean square reaches the floor's bounds it.
        var atFloor = StrengthByNeed.LeastFactorWhere(a => perUnit * Energy(_regions, informed, plainCoefficients, Capped(most, a)) >= strength.FloorMse, most.Max());
        var common = StrengthByNeed.LeastFactorWhere(a => Errors(plain, margin, Capped(most, a)) <= StrengthByNeed.ToleratedSymbolErrors, atFloor);
        return Capped(most, common);
    }

    private static double[] Capped(double[] most, double factor) => [.. most.Select(m => Math.Min(factor, m))];

    private double Errors(double plain, double margin, double[]? factors)
    {
        var reads = new double[2 * _gains.Length];
        for (var m = 0; m < _gains.Length; m++)
        {
            var factor = 1.0;
            if (factors is not null)
            {
                factor = 0;
                for (var r = 0; r < factors.Length; r++)
                {
                    factor += _regionShares[r][m] * factors[r];
                }
            }

            reads[2 * m] = reads[2 * m + 1] = plain * _gains[m] * factor;
        }

        return StrengthByNeed.PredictedSymbolErrors(reads, margin, _noiseRms);
    }

    /// <summary>The sum over regions of area × Σ|informed + factor × plain|²: proportional to the pattern's mean square.</summary>
    public static double Energy(IReadOnlyList<ReaderResponse.Region> regions, Complex[][] informed, Complex[] plain, double[]? factors)
    {
        var total = 0.0;
        for (var r = 0; r < regions.Count; r++)
        {
            var f = factors?[r] ?? 1;
            var sum = 0.0;
            for (var k = 0; k < plain.Length; k++)
            {
                var c = informed[r][k] + f * plain[k];
                sum += c.Real * c.Real + c.Imaginary * c.Imaginary;
            }

            total += regions[r].Area * sum;
        }

        return total;
    }
}
