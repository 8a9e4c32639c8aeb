using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="BlockFft"/>, the 64 × 64 transform with its scrambled spectrum, register transposes and mirror shuffles,
/// against the DFT by definition read through <see cref="BlockFft.Position"/>.
/// </summary>
public sealed class BlockFftTests
{
    private const int Side = BlockFft.Side;

    public static TheoryData<string> Signals => ["random", "impulse", "constant", "zero"];

    [Theory]
    [MemberData(nameof(Signals))]
    public void Forward_MatchesTheDftAtEachFrequencysPosition(string signal)
    {
        var (re, im) = FftTests.Signal(signal, Side, Side);
        var (blockRe, blockIm) = (Single(re), Single(im));
        var (expectedRe, expectedIm) = NaiveReference.Dft2D(Double(blockRe), Double(blockIm), Side, Side, inverse: false);
        var (spectrumRe, spectrumIm) = (new float[Side * Side], new float[Side * Side]);

        BlockFft.Forward(blockRe, blockIm, spectrumRe, spectrumIm);

        // The reference's (v, u) (v down the block, u along a row) is at Position(u, v).
        var (actualRe, actualIm) = (new double[Side * Side], new double[Side * Side]);
        for (var v = 0; v < Side; v++)
        {
            for (var u = 0; u < Side; u++)
            {
                var p = BlockFft.Position(u, v);
                (actualRe[v * Side + u], actualIm[v * Side + u]) = (spectrumRe[p], spectrumIm[p]);
            }
        }

        FftTests.AssertClose(expectedRe, expectedIm, actualRe, actualIm, Tolerance(re, im), signal);
    }

    [Theory]
    [MemberData(nameof(Signals))]
    public void Inverse_MatchesTheInverseDftOfTheScrambledSpectrum(string signal)
    {
        // A spectrum given by frequency, placed where Forward would put it.
        var (re, im) = FftTests.Signal(signal, Side, Side, seed: 5);
        var (rounded, roundedIm) = (Double(Single(re)), Double(Single(im)));
        var (spectrumRe, spectrumIm) = (new float[Side * Side], new float[Side * Side]);
        for (var v = 0; v < Side; v++)
        {
            for (var u = 0; u < Side; u++)
            {
                var p = BlockFft.Position(u, v);
                (spectrumRe[p], spectrumIm[p]) = ((float)rounded[v * Side + u], (float)roundedIm[v * Side + u]);
            }
        }

        var (expectedRe, expectedIm) = NaiveReference.Dft2D(rounded, roundedIm, Side, Side, inverse: true);
        var (blockRe, blockIm) = (new float[Side * Side], new float[Side * Side]);

        BlockFft.Inverse(spectrumRe, spectrumIm, blockRe, blockIm);

        FftTests.AssertClose(expectedRe, expectedIm, Double(blockRe), Double(blockIm), Tolerance(re, im), signal);
    }

    [Fact]
    public void ForwardThenInverse_GivesBackTheBlockTimes4096()
    {
        var (re, im) = FftTests.Signal("random", Side, Side, seed: 9);
        var (blockRe, blockIm) = (Single(re), Single(im));
        var (expectedRe, expectedIm) = (Array.ConvertAll(blockRe, v => v * 4096.0), Array.ConvertAll(blockIm, v => v * 4096.0));
        var (spectrumRe, spectrumIm) = (new float[Side * Side], new float[Side * Side]);

        BlockFft.Forward(blockRe, blockIm, spectrumRe, spectrumIm);
        BlockFft.Inverse(spectrumRe, spectrumIm, blockRe, blockIm);

        // The inverse's error plus the forward's, carried through: at most n times it at one sample.
        var tolerance = (Side * Side + 1) * Tolerance(re, im);
        FftTests.AssertClose(expectedRe, expectedIm, Double(blockRe), Double(blockIm), tolerance, "round trip");
    }

    [Fact]
    public void Mirror_OfEachFrequencysPosition_IsTheOppositeFrequencysPosition()
    {
        for (var v = 0; v < Side; v++)
        {
            for (var u = 0; u < Side; u++)
            {
                Assert.Equal(BlockFft.Position(-u, -v), BlockFft.Mirror[BlockFft.Position(u, v)]);
            }
        }

        Assert.Equal(Enumerable.Range(0, Side * Side), BlockFft.Mirror.Order());
    }

    [Fact]
    public void CopyMirrored_EqualsTheGatherThroughMirror()
    {
        var random = new Random(3);
        var source = Enumerable.Range(0, Side * Side).Select(_ => (float)random.NextDouble()).ToArray();
        var target = new float[Side * Side];

        BlockFft.CopyMirrored(source, target);

        for (var i = 0; i < target.Length; i++)
        {
            Assert.Equal(source[BlockFft.Mirror[i]], target[i]);
        }
    }

    [Fact]
    public void CopyMirroredRow_OfARow_IsItsMirrorRowOfCopyMirrored()
    {
        // The whitening computes a row and writes its mirror row through this: every position must land where Mirror says.
        var random = new Random(5);
        var source = Enumerable.Range(0, Side * Side).Select(_ => (float)random.NextDouble()).ToArray();
        var mirrored = new float[Side * Side];
        BlockFft.CopyMirrored(source, mirrored);

        for (var row = 0; row < Side; row++)
        {
            var target = new float[Side];
            BlockFft.CopyMirroredRow(source.AsSpan(row * Side, Side), target);

            Assert.Equal(mirrored.AsSpan(BlockFft.MirrorRow(row) * Side, Side).ToArray(), target);
            Assert.Equal(row, BlockFft.MirrorRow(BlockFft.MirrorRow(row)));
            Assert.Equal(BlockFft.MirrorRow(row), BlockFft.Mirror[row * Side] / Side);
        }
    }

    [Fact]
    public void Forward_OfARealBlock_IsConjugateSymmetricThroughCopyMirrored()
    {
        var (re, _) = FftTests.Signal("random", Side, Side, seed: 4);
        var (spectrumRe, spectrumIm) = (new float[Side * Side], new float[Side * Side]);
        BlockFft.Forward(Single(re), new float[Side * Side], spectrumRe, spectrumIm);
        var (mirroredRe, mirroredIm) = (new float[Side * Side], new float[Side * Side]);

        BlockFft.CopyMirrored(spectrumRe, mirroredRe);
        BlockFft.CopyMirrored(spectrumIm, mirroredIm);

        var tolerance = 2 * Tolerance(re, new double[re.Length]);
        FftTests.AssertClose(Double(spectrumRe), Double(spectrumIm), Double(mirroredRe), Array.ConvertAll(mirroredIm, v => -(double)v), tolerance, "X(-u,-v) = conj X(u,v)");
    }

    private static double Tolerance(double[] re, double[] im) =>
        NaiveReference.FftTolerance(Side * Side, NaiveReference.SingleEpsilon, NaiveReference.Energy(re, im)) + NaiveReference.DftError(re, im, Side, Side);

    private static float[] Single(double[] values) => Array.ConvertAll(values, v => (float)v);

    private static double[] Double(float[] values) => Array.ConvertAll(values, v => (double)v);
}
