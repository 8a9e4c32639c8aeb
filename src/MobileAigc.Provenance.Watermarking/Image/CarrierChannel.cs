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
/// Carriers sit at integer frequencies, so a radius is given as its square (u² + v²). Both estimates are smoothed over radius
/// with a Gaussian kernel of <see cref="Bandwidth"/> cycles per tile: the 30 sync carriers give 10 to 20 chips within a
/// bandwidth of any radius, enough for a gain per radius and too few for one per carrier.
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

    /// <summary>Per pair of squared radii, the kernel's weight between them.</summary>
    private static readonly double[,] Kernel = BuildKernel();

    private readonly double[] _gain = new double[Radii];
    private readonly double[] _noise = new double[Radii];

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

        // Chips binned by squared radius: the kernel then runs over the band's few dozen radii, not over its chips.
        var syncSums = new double[Radii];
        var syncCounts = new double[Radii];
        var energySums = new double[Radii];
        var energyCounts = new double[Radii];
        foreach (var (r2, projection) in sync)
        {
            syncSums[Checked(r2)] += projection;
            syncCounts[r2]++;
            energySums[r2] += projection * projection;
            energyCounts[r2]++;
        }

        foreach (var (r2, projection) in message)
        {
            energySums[Checked(r2)] += projection * projection;
            energyCounts[r2]++;
        }

        MeanGain = syncSums.Sum() / syncCounts.Sum();
        MeanEnergy = energySums.Sum() / energyCounts.Sum();
        for (var target = 0; target < Radii; target++)
        {
            double gain = 0, gainWeights = 0, energy = 0, energyWeights = 0;
            for (var r2 = 0; r2 < Radii; r2++)
            {
                var k = Kernel[target, r2];
                gain += k * syncSums[r2];
                gainWeights += k * syncCounts[r2];
                energy += k * energySums[r2];
                energyWeights += k * energyCounts[r2];
            }

            _gain[target] = gainWeights > 0 ? gain / gainWeights : MeanGain;
            var g = _gain[target];
            _noise[target] = Math.Max((energyWeights > 0 ? energy / energyWeights : MeanEnergy) - g * g, NoiseFloor * MeanEnergy + double.Epsilon);
        }
    }

    /// <summary>The mean of the sync chips' projections: the mark's amplitude per chip over the whole band.</summary>
    public double MeanGain { get; }

    /// <summary>The mean squared projection of every chip.</summary>
    public double MeanEnergy { get; }

    /// <summary>The mark's amplitude per chip at squared radius <paramref name="squaredRadius"/>: the kernel-weighted mean of the sync chips' projections.</summary>
    public double Gain(int squaredRadius) => _gain[Checked(squaredRadius)];

    /// <summary>
    /// The noise variance per chip at <paramref name="squaredRadius"/>: the kernel-weighted mean chip energy less the squared gain
    /// (E y² = gain² + noise² for y = ±gain + noise), floored at <see cref="NoiseFloor"/> of the mean chip energy.
    /// </summary>
    public double NoiseVariance(int squaredRadius) => _noise[Checked(squaredRadius)];

    /// <summary>
    /// What a chip's projection at <paramref name="squaredRadius"/> is multiplied by to give its log-likelihood ratio,
    /// 2 · gain / noise², the gain floored at <see cref="GainFloor"/> of the mean gain (of the RMS chip when no mark shows).
    /// </summary>
    public double Weight(int squaredRadius)
    {
        var floor = GainFloor * (MeanGain > 0 ? MeanGain : Math.Sqrt(MeanEnergy));
        return 2 * Math.Max(Gain(squaredRadius), floor) / NoiseVariance(squaredRadius);
    }

    private static int Checked(int squaredRadius) =>
        squaredRadius >= 0 && squaredRadius < Radii
            ? squaredRadius
            : throw new ArgumentException($"Squared radius {squaredRadius} is outside the band (0 to {Radii - 1}).", nameof(squaredRadius));

    private static double[,] BuildKernel()
    {
        var kernel = new double[Radii, Radii];
        for (var a = 0; a < Radii; a++)
        {
            for (var b = 0; b < Radii; b++)
            {
                var d = (Math.Sqrt(a) - Math.Sqrt(b)) / Bandwidth;
                kernel[a, b] = Math.Exp(-0.5 * d * d);
            }
        }

        return kernel;
    }
}
