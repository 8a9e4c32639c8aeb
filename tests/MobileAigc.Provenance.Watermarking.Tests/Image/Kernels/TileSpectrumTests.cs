using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>
/// <see cref="TileSpectrum.Turned"/> (the reader's one transform per folded tile, permuted per turn and mirror) against
/// the transform of the turned tile itself, for each of the eight elements.
/// </summary>
public sealed class TileSpectrumTests
{
    private const int P = WatermarkLayout.TilePeriod;

    public static TheoryData<int> Elements => [.. Enumerable.Range(0, TileDihedral.Elements.Count)];

    [Theory]
    [MemberData(nameof(Elements))]
    public void Turned_AnyElement_MatchesTheTransformOfTheTurnedTile(int element)
    {
        var random = new Random(element + 17);
        var tile = Enumerable.Range(0, P * P).Select(_ => random.NextDouble() * 2 - 1).ToArray();

        var permuted = TileSpectrum.Of(tile).Turned(element);
        var direct = TileSpectrum.Of(TileDihedral.Transform(tile, element));

        // Values of up to about 60 (sums of 4,096 terms in [−1, 1]); the two differ only by the transform's rounding.
        for (var i = 0; i < P * P; i++)
        {
            Assert.True(Math.Abs(permuted.Re[i] - direct.Re[i]) < 1e-9, $"element {element}, re[{i}]: {permuted.Re[i]} vs {direct.Re[i]}");
            Assert.True(Math.Abs(permuted.Im[i] - direct.Im[i]) < 1e-9, $"element {element}, im[{i}]: {permuted.Im[i]} vs {direct.Im[i]}");
        }
    }

    [Fact]
    public void Of_LeavesTheTileUnchanged()
    {
        var tile = Enumerable.Range(0, P * P).Select(i => (double)(i * 7919 % 1013)).ToArray();
        var copy = (double[])tile.Clone();

        _ = TileSpectrum.Of(tile);

        Assert.Equal(copy, tile);
    }
}
