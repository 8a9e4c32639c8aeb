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
            Assert.True((permuted[i] - direct[i]).Magnitude < 1e-9, $"element {element}, frequency index {i}: {permuted[i]} vs {direct[i]}");
        }
    }

    [Fact]
    public void Turned_TurnedSpectrum_Throws()
    {
        var turned = TileSpectrum.Of(new double[P * P]).Turned(1);

        Assert.Throws<InvalidOperationException>(() => turned.Turned(2));
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
