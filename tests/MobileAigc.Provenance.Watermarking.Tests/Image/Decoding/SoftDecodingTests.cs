using System.Numerics;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Decoding;

/// <summary>
/// <see cref="TileReader.SoftBits"/> on a tile spectrum made to order: the mark at a chosen gain per carrier radius, plus
/// seeded Gaussian noise, as a codec leaves it (the upper carriers attenuated, every carrier noised alike).
/// </summary>
public sealed class SoftDecodingTests
{
    private const int P = WatermarkLayout.TilePeriod;
    private const ulong Payload = 0x0123_4567_89AB_CDEFUL;
    private const ulong Tag = 0x2AB_CDEF;

    private static readonly WatermarkLayout Layout = CodewordSearch.Layout;
    private static readonly PayloadCodec Codec = CodewordSearch.Codec;

    [Fact]
    public void SoftBits_UpperCarriersInTheCodecsDeadZone_DecodeMoreOftenThanAPhaseOnlyReading()
    {
        // A codec's dead zone: a quarter of the carriers beyond 7 cycles per tile rounded away (mark gone, a little noise
        // left, so their phase is random), every other carrier at full gain and the same noise. A phase-only reading trusts
        // a random phase as much as any; the weighted one sees the small projections and ranks them last for Chase.
        var (weighted, phaseOnly) = (0, 0);
        for (var seed = 0; seed < 40; seed++)
        {
            var (re, im) = Spectrum((radius, random) => radius > 7 && random.NextDouble() < 0.25 ? (0.0, 0.15) : (1.0, 0.3), seed);
            weighted += Decodes(TileReader.SoftBits(new TileSpectrum(re, im), Layout, Codec.CodewordBits, 0, 0)) ? 1 : 0;
            phaseOnly += Decodes(PhaseOnly(re, im)) ? 1 : 0;
        }

        // Measured: 20 and 10 of 40 (the seeds are fixed, so this does not vary between runs).
        Assert.True(weighted >= phaseOnly + 6, $"weighted {weighted} of 40, phase-only {phaseOnly} of 40");
    }

    [Fact]
    public void SoftBits_CleanSpectrum_ReadsTheCodewordWithLargerReliabilityWhereTheGainIsLarger()
    {
        var (re, im) = Spectrum((radius, _) => (radius > 7 ? 0.5 : 1.0, 0.0), seed: 0);
        var codeword = Codec.Encode(Payload, Tag);

        var soft = TileReader.SoftBits(new TileSpectrum(re, im), Layout, Codec.CodewordBits, 0, 0);

        for (var bit = 0; bit < soft.Length; bit++)
        {
            Assert.Equal(codeword[bit], soft[bit] < 0 ^ Layout.Scramble[bit]);
        }

        var (lower, upper) = (new List<double>(), new List<double>());
        for (var chip = 0; chip < 2 * Layout.MessageCoefficients.Length; chip++)
        {
            var (u, v) = WatermarkLayout.Band[Layout.MessageCoefficients[chip / 2]];
            var bit = Layout.ChipBits[chip];
            if (Layout.ChipBits.Count(b => b == bit) == 1)
            {
                (u * u + v * v > 49 ? upper : lower).Add(Math.Abs(soft[bit]));
            }
        }

        Assert.True(upper.Max() < lower.Min(), $"upper carriers' bits up to {upper.Max():F3}, lower carriers' from {lower.Min():F3}");
    }

    private static bool Decodes(double[] soft)
    {
        var hard = new bool[soft.Length];
        var reliability = new double[soft.Length];
        for (var i = 0; i < soft.Length; i++)
        {
            hard[i] = soft[i] < 0 ^ Layout.Scramble[i];
            reliability[i] = Math.Abs(soft[i]);
        }

        return Codec.TryDecode(hard, reliability, 64, (payload, tag) => payload == Payload && tag == Tag, out _, out _, out _);
    }

    /// <summary>The reading before issue 17's soft decoding: each chip the cosine of its carrier's phase, every carrier alike.</summary>
    private static double[] PhaseOnly(double[] re, double[] im)
    {
        var soft = new double[Codec.CodewordBits];
        for (var m = 0; m < Layout.MessageCoefficients.Length; m++)
        {
            var coefficient = Layout.MessageCoefficients[m];
            var (u, v) = WatermarkLayout.Band[coefficient];
            var index = WatermarkLayout.Index(u, v);
            var z = new Complex(re[index], im[index]) * Complex.Conjugate(Layout.Phases[coefficient]);
            soft[Layout.ChipBits[2 * m]] += z.Real / z.Magnitude;
            soft[Layout.ChipBits[2 * m + 1]] += z.Imaginary / z.Magnitude;
        }

        return soft;
    }

    /// <summary>The tile spectrum of <see cref="Payload"/>'s codeword at offset 0, each carrier at the gain and noise <paramref name="channel"/> gives its radius.</summary>
    internal static (double[] Re, double[] Im) Spectrum(Func<double, Random, (double Gain, double Noise)> channel, int seed)
    {
        var random = new Random(seed);
        double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var chips = Layout.Chips(Codec.Encode(Payload, Tag));
        var (re, im) = (new double[P * P], new double[P * P]);
        for (var c = 0; c < WatermarkLayout.Band.Length; c++)
        {
            var (u, v) = WatermarkLayout.Band[c];
            var radius = Math.Sqrt(u * u + v * v);
            var (gain, noise) = channel(radius, random);
            var value = (gain * chips[c] + noise * new Complex(Gaussian(), Gaussian())) * Layout.Phases[c];
            (re[WatermarkLayout.Index(u, v)], im[WatermarkLayout.Index(u, v)]) = (value.Real, value.Imaginary);
            (re[WatermarkLayout.Index(-u, -v)], im[WatermarkLayout.Index(-u, -v)]) = (value.Real, -value.Imaginary);
        }

        return (re, im);
    }
}
