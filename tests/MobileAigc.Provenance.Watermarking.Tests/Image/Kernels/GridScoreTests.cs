using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="LatticeSpectrum.ScoreScales"/> (four scales per vector, bins gathered with AVX2) against
/// <see cref="LatticeSpectrum.Score"/> one scale at a time: equal to the last bit, on the spectrum of a marked picture and of
/// random noise, over angles, stretches and a scale count that leaves a scalar tail.
/// </summary>
public sealed class GridScoreTests
{
    public static TheoryData<string, double, double> Cases()
    {
        var cases = new TheoryData<string, double, double>();
        foreach (var picture in new[] { "marked", "noise" })
        {
            foreach (var (degrees, aspect) in new[] { (0.0, 1.0), (-45.0, 1.0), (17.3, 1.0), (44.5, 1.0), (0.0, 0.85), (0.0, 1.18) })
            {
                cases.Add(picture, degrees, aspect);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScoreScales_AnyGrid_EqualsScoreAtEachScale(string picture, double degrees, double aspect)
    {
        var spectrum = LatticeSpectrum.Analyse(Residual(picture));
        var points = TileGridSearch.Orientations[0];
        // 0.3 to 2.5 in the coarse search's steps: 71 scales, so three fall to the scalar tail.
        var scales = Enumerable.Range(0, 71).Select(i => 0.3 * Math.Pow(1.03, i)).ToList();
        var scores = new double[scales.Count];

        spectrum.ScoreScales(points, degrees * Math.PI / 180, aspect, scales, scores);

        for (var s = 0; s < scales.Count; s++)
        {
            Assert.Equal(spectrum.Score(points, degrees * Math.PI / 180, scales[s], aspect), scores[s]);
        }
    }

    private static LumaPlane Residual(string picture)
    {
        var image = SyntheticImages.Create(3, 320, 256);
        if (picture == "marked")
        {
            image = new ImageWatermarker(WatermarkKey.Parse("0x" + new string('a', 64))).Embed(image, 42);
        }

        var luma = LumaPlane.FromImage(image, 1, new LumaPlane(image.Width, image.Height));
        if (picture == "noise")
        {
            var random = new Random(7);
            for (var i = 0; i < luma.Values.Length; i++)
            {
                luma.Values[i] = (float)(random.NextDouble() * 255);
            }
        }

        var residual = new LumaPlane(luma.Width, luma.Height);
        ReaderFrontEnd.Residual(luma, residual);
        return residual;
    }
}
