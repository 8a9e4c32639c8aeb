using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary><see cref="TileTranspose.Transpose8"/>, the AVX 8 × 8 register transpose, against element-by-element copying.</summary>
public sealed class TileTransposeTests
{
    [Theory]
    [InlineData(8, 8)]
    [InlineData(11, 9)]
    [InlineData(64, 8)]
    [InlineData(8, 40)]
    public void Transpose8_WritesEachTileElementToItsMirroredPlace(int sourceStride, int targetStride)
    {
        // Without AVX nothing calls it (the callers take their scalar loops): nothing to test on such a machine.
        if (!TileTranspose.IsSupported)
        {
            return;
        }

        var source = Enumerable.Range(0, 8 * sourceStride).Select(i => (float)i + 0.5f).ToArray();
        var target = Enumerable.Repeat(-1f, 8 * targetStride).ToArray();

        TileTranspose.Transpose8(ref source[0], sourceStride, ref target[0], targetStride);

        for (var row = 0; row < 8; row++)
        {
            for (var column = 0; column < targetStride; column++)
            {
                // Inside the tile: the transposed element; beside it, untouched.
                var expected = column < 8 ? source[column * sourceStride + row] : -1f;
                Assert.Equal(expected, target[row * targetStride + column]);
            }
        }
    }
}
