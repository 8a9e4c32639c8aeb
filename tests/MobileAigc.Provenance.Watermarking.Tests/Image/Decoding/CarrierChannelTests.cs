using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Decoding;

/// <summary>
/// <see cref="CarrierChannel"/> on chips of a known channel: the layout's own sync and message carriers, their projections
/// drawn from a gain that falls with radius (as a codec leaves the mark) and Gaussian noise of a known variance.
/// </summary>
public sealed class CarrierChannelTests
{
    private static readonly WatermarkLayout Layout = CodewordSearch.Layout;

    /// <summary>The gain of the known channel: full below 5 cycles per tile, falling to a fifth at the band's edge.</summary>
    private static double Gain(double radius) => radius < 5 ? 1.0 : 1.0 - 0.8 * (radius - 5) / (WatermarkLayout.MaxRadius - 5);

    [Fact]
    public void Gain_NoiselessChipsOfAKnownChannel_FollowsTheGainAcrossTheBand()
    {
        var channel = Measure(noise: 0, seed: 1);

        // The kernel averages over about ±1.5 cycles, over the sync carriers that happen to lie there: within 0.2 of the gain
        // even where it bends or ends, and falling with it.
        var radii = new[] { 7, 10, 25, 41, 50, 64, 74, 85, 90 };
        foreach (var r2 in radii)
        {
            Assert.InRange(channel.Gain(r2), Gain(Math.Sqrt(r2)) - 0.2, Gain(Math.Sqrt(r2)) + 0.2);
        }

        Assert.All(radii.Zip(radii.Skip(1)), pair => Assert.True(channel.Gain(pair.Second) <= channel.Gain(pair.First) + 1e-9, $"gain rises from {pair.First} to {pair.Second}"));

        Assert.True(channel.Gain(90) < 0.5 * channel.Gain(20), $"gain at the edge {channel.Gain(90):F3}, inside {channel.Gain(20):F3}");
    }

    [Fact]
    public void NoiseVariance_ChipsWithKnownNoise_EstimatesItWithinItsKnownBias()
    {
        // One reading has 10 to 40 chips within a bandwidth of a radius, so its estimate varies by a third or so: the mean
        // over 30 readings shows the estimator's bias: 0 to 20 % upward (measured 0.158 to 0.192 for 0.16), because the gain
        // varies within the kernel's reach and that variation reads as noise. It errs toward trusting a radius less.
        var channels = Enumerable.Range(0, 30).Select(seed => Measure(noise: 0.4, seed)).ToList();

        foreach (var r2 in new[] { 9, 16, 25, 45, 65, 85 })
        {
            Assert.InRange(channels.Average(c => c.NoiseVariance(r2)), 0.95 * 0.16, 1.3 * 0.16);
        }
    }

    [Fact]
    public void Weight_UpperCarriersAttenuated_WeighsTheirChipsLess()
    {
        var channel = Measure(noise: 0.3, seed: 3);

        Assert.True(channel.Weight(88) < 0.7 * channel.Weight(16), $"weight at 9.4 cycles {channel.Weight(88):F2}, at 4 cycles {channel.Weight(16):F2}");
    }

    [Fact]
    public void Weight_NoMarkAtAll_StaysPositiveAndFinite()
    {
        // An unmarked picture: the sync chips average to about zero, or below; the floor keeps every chip's sign meaningful.
        var sync = Layout.SyncCoefficients.SelectMany(c => new[] { (SquaredRadius(c), -0.2), (SquaredRadius(c), 0.1) }).ToArray();
        var message = Layout.MessageCoefficients.Select(c => (SquaredRadius(c), 1.0)).ToArray();

        var channel = new CarrierChannel(sync, message);

        Assert.All(Enumerable.Range(7, 84), r2 => Assert.True(channel.Weight(r2) is > 0 and < double.PositiveInfinity, $"weight {channel.Weight(r2)} at {r2}"));
    }

    [Fact]
    public void Constructor_NoSyncChip_Throws()
    {
        Assert.Throws<ArgumentException>(() => new CarrierChannel([], [(25, 1.0)]));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(91)]
    public void Gain_SquaredRadiusOutsideTheBand_Throws(int squaredRadius)
    {
        var channel = Measure(noise: 0.1, seed: 4);

        Assert.Throws<ArgumentException>(() => channel.Gain(squaredRadius));
    }

    /// <summary>The channel measured on the layout's chips: each projection the known gain times its sign, plus noise.</summary>
    private static CarrierChannel Measure(double noise, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        double Chip(int coefficient, int sign) => sign * Gain(Math.Sqrt(SquaredRadius(coefficient))) + noise * Gaussian();

        // Sync chips are given times their known sign; message chips with a random one.
        var sync = Layout.SyncCoefficients.SelectMany(c => new[] { (SquaredRadius(c), Chip(c, 1)), (SquaredRadius(c), Chip(c, 1)) }).ToArray();
        var message = Layout.MessageCoefficients.SelectMany(c => new[] { (SquaredRadius(c), Chip(c, random.Next(2) * 2 - 1)), (SquaredRadius(c), Chip(c, random.Next(2) * 2 - 1)) }).ToArray();
        return new CarrierChannel(sync, message);
    }

    private static int SquaredRadius(int coefficient)
    {
        var (u, v) = WatermarkLayout.Band[coefficient];
        return u * u + v * v;
    }
}
