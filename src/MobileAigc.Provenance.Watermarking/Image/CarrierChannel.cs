namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// How much of the mark survives at each carrier radius of one reading, and how much noise lies on it: the gain measured
/// on the sync carriers, whose chips are known, and the noise from the spread of every carrier's chips around it. Codecs and
/// resampling attenuate the upper carriers far more than the lower ones (after JPEG q30 or WebP q50 the carriers at 8.5 to
/// 9.5 cycles per tile read 5 to 8 % of their chips wrong, the lower ones about 1 %), so a chip's log-likelihood ratio,
/// 2 · gain / noise² · projection, weighs it by how far it can be trusted, where a phase-only reading weighs every chip
/// the same.
/// </summary>
/// <remarks>
/// Carriers sit at integer frequencies, so a radius is given as its square (u² + v²). Chips are gathered in half-cycle radius
/// bins and both estimates smoothed over them with a Gaussian kernel of <see cref="Bandwidth"/> cycles per tile: the 30 sync
/// carriers give 10 to 20 chips within a bandwidth of any radius, enough for a gain per radius and too few for one per
/// carrier. Not thread-safe (estimates are computed when first asked for); one instance serves one reading.
/// </remarks>
internal sealed class CarrierChannel
{
    /// <summary>The Gaussian kernel's standard deviation over radius, in cycles per tile.</summary>
    public const double Bandwidth = 1.5;

    /// <summary>The smallest gain a radius is given, as a share of the mean gain: a radius the estimate finds empty still ranks its chips.</summary>
    private const double GainFloor = 0.05;

    /// <summary>The smallest noise variance a radius is given, as a share of the mean chip energy: no radius is trusted without bound.</summary>
    private const double NoiseFloor = 0.05;

    /// <summary>One more than the largest squared radius of the band.</summary>
    private static readonly int Radii = (int)(WatermarkLayout.MaxRadius * WatermarkLayout.MaxRadius) + 1;

    /// <summary>How many half-cycle radius bins the chips are gathered in (bin b holds radii within a quarter cycle of b / 2).</summary>
    private static readonly int Bins = (int)Math.Round(2 * WatermarkLayout.MaxRadius) + 1;

    /// <summary>Per squared radius, its half-cycle bin: a quarter cycle is far below the kernel's bandwidth, and 20 bins cost less than 45 radii.</summary>
    private static readonly int[] BinOf = [.. Enumerable.Range(0, Radii).Select(r2 => (int)Math.Round(2 * Math.Sqrt(r2)))];

    /// <summary>Per pair of bins, the kernel's weight between their centres.</summary>
    private static readonly double[,] Kernel = BuildKernel();

    private readonly double[] _syncSums = new double[Bins];
    private readonly double[] _syncCounts = new double[Bins];
    private readonly double[] _energySums = new double[Bins];
    private readonly double[] _energyCounts = new double[Bins];

    /// <summary>Per bin, the gain and noise once estimated (NaN before).</summary>
    private readonly double[] _gain = new double[Bins];
    private readonly double[] _noise = new double[Bins];
    private readonly double _weightFloor;

    /// <summary>
    /// Measures the channel of one reading from its chips' projections (real or imaginary part of a carrier after the offset and
    /// the key's phase are undone, in any common scale).
    /// </summary>
    /// <param name="sync">Per sync chip: its carrier's squared radius and its projection times its known sign (the gain plus noise).</param>
    /// <param name="message">Per message chip: its carrier's squared radius and its projection (the gain times an unknown sign, plus noise).</param>
    /// <exception cref="ArgumentException">No sync chip, or a squared radius outside the band.</exception>
    public CarrierChannel(ReadOnlySpan<(int SquaredRadius, double Projection)> sync, ReadOnlySpan<(int SquaredRadius, double Projection)> message)
    {
        if (sync.IsEmpty)
        {
            throw new ArgumentException("The channel is measured on at least one sync chip.", nameof(sync));
        }

        // Chips binned by radius: the kernel then runs over 20 bins, not over the band's 268 chips.
        foreach (var (r2, projection) in sync)
        {
            var bin = BinOf[Checked(r2)];
            _syncSums[bin] += projection;
            _syncCounts[bin]++;
            _energySums[bin] += projection * projection;
            _energyCounts[bin]++;
        }

        foreach (var (r2, projection) in message)
        {
            var bin = BinOf[Checked(r2)];
            _energySums[bin] += projection * projection;
            _energyCounts[bin]++;
        }

        MeanGain = _syncSums.Sum() / _syncCounts.Sum();
        MeanEnergy = _energySums.Sum() / _energyCounts.Sum();
        _weightFloor = GainFloor * (MeanGain > 0 ? MeanGain : Math.Sqrt(MeanEnergy));
        Array.Fill(_gain, double.NaN);
    }

    /// <summary>The mean of the sync chips' projections: the mark's amplitude per chip over the whole band.</summary>
    public double MeanGain { get; }

    /// <summary>The mean squared projection of every chip.</summary>
    public double MeanEnergy { get; }

    /// <summary>The mark's amplitude per chip at squared radius <paramref name="squaredRadius"/>: the kernel-weighted mean of the sync chips' projections.</summary>
    public double Gain(int squaredRadius) => Estimate(squaredRadius).Gain;

    /// <summary>
    /// The noise variance per chip at <paramref name="squaredRadius"/>: the kernel-weighted mean chip energy less the squared gain
    /// (E y² = gain² + noise² for y = ±gain + noise), floored at <see cref="NoiseFloor"/> of the mean chip energy.
    /// </summary>
    public double NoiseVariance(int squaredRadius) => Estimate(squaredRadius).Noise;

    /// <summary>
    /// What a chip's projection at <paramref name="squaredRadius"/> is multiplied by to give its log-likelihood ratio,
    /// 2 · gain / noise², the gain floored at <see cref="GainFloor"/> of the mean gain (of the RMS chip when no mark shows).
    /// </summary>
    public double Weight(int squaredRadius)
    {
        var (gain, noise) = Estimate(squaredRadius);
        return 2 * Math.Max(gain, _weightFloor) / noise;
    }

    private (double Gain, double Noise) Estimate(int squaredRadius)
    {
        var target = BinOf[Checked(squaredRadius)];
        if (double.IsNaN(_gain[target]))
        {
            double gain = 0, gainWeights = 0, energy = 0, energyWeights = 0;
            for (var bin = 0; bin < Bins; bin++)
            {
                var k = Kernel[target, bin];
                gain += k * _syncSums[bin];
                gainWeights += k * _syncCounts[bin];
                energy += k * _energySums[bin];
                energyWeights += k * _energyCounts[bin];
            }

            var g = gainWeights > 0 ? gain / gainWeights : MeanGain;
            _noise[target] = Math.Max(energy / energyWeights - g * g, NoiseFloor * MeanEnergy + double.Epsilon);
            _gain[target] = g;
        }

        return (_gain[target], _noise[target]);
    }

    private static int Checked(int squaredRadius) =>
        squaredRadius >= 0 && squaredRadius < Radii
            ? squaredRadius
            : throw new ArgumentException($"Squared radius {squaredRadius} is outside the band (0 to {Radii - 1}).", nameof(squaredRadius));

    private static double[,] BuildKernel()
    {
        var kernel = new double[Bins, Bins];
        for (var a = 0; a < Bins; a++)
        {
            for (var b = 0; b < Bins; b++)
            {
                var d = (a - b) / (2 * Bandwidth);
                kernel[a, b] = Math.Exp(-0.5 * d * d);
            }
        }

        return kernel;
    }
}
