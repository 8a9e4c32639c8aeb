using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// <see cref="MarkedRegions"/>: a picture whose right part is replaced by the mirror image of its left part carries the mark
/// twice, once mirrored; the whole fold mixes the two, the fold of the regions the reading finds marked does not.
/// </summary>
public sealed class MarkedRegionsTests(GeneratedImages generated) : IClassFixture<GeneratedImages>
{
    private const ulong Payload = 0x5EED_0F_C0_12_4E_55UL;
    private static readonly WatermarkKey Key = WatermarkKey.Parse("0x" + new string('e', 64));

    [Fact]
    public void Find_RightHalfMirrored_KeepsTheLeftHalfAndDropsTheRight()
    {
        // Half and half: the fold reads the mark and its mirror image equally (about a quarter of the bits wrong), and the
        // sync pattern alone tells them apart.
        var residual = MirroredResidual(5, 0.5, out _);
        var grid = new TileGrid(0, 1, 0);
        var reading = Best(TileReader.Fold(residual, grid));

        var regions = MarkedRegions.Find(residual, grid, MarkedRegions.SyncTile(CodewordSearch.Layout, reading, 0));

        // The picture is 512 wide: regions of 64 pixels, four columns each side of the mirror line.
        Assert.Equal(64, regions.Side);
        var left = Enumerable.Range(0, regions.Keep.Length).Where(i => i % regions.Columns < 4).ToList();
        var right = Enumerable.Range(0, regions.Keep.Length).Where(i => i % regions.Columns >= 4).ToList();
        // A map that cannot tell the halves apart keeps about as many on each side (the whole expected tile's map here kept
        // nearly all of both).
        Assert.True(left.Count(i => regions.Keep[i]) >= 0.9 * left.Count, $"kept {left.Count(i => regions.Keep[i])} of {left.Count} left regions");
        Assert.True(right.Count(i => !regions.Keep[i]) >= 0.6 * right.Count, $"dropped {right.Count(i => !regions.Keep[i])} of {right.Count} right regions");
    }

    [Fact]
    public void Fold_OfTheMarkedRegions_ReadsTheCodewordTheWholeFoldDoesNot()
    {
        var residual = MirroredResidual(1, 0.3, out var codeword);
        var grid = new TileGrid(0, 1, 0);
        var whole = Best(TileReader.Fold(residual, grid));
        var regions = MarkedRegions.Find(residual, grid, MarkedRegions.SyncTile(CodewordSearch.Layout, whole, 0));

        var marked = Best(TileReader.Fold(residual, grid, regions));

        // Reed-Solomon corrects 8 of the 32 symbols.
        Assert.True(SymbolErrors(whole, codeword) > 8, $"the whole fold reads with only {SymbolErrors(whole, codeword)} symbol errors");
        Assert.True(SymbolErrors(marked, codeword) <= 8, $"the marked regions' fold reads with {SymbolErrors(marked, codeword)} symbol errors");
    }

    [Fact]
    public void Extract_RightThirdMirrored_RecoversPayload()
    {
        // The read before the marked regions' refold found nothing here.
        var watermarker = new ImageWatermarker(Key);
        var attacked = GeometricAttacks.MirrorRightPart(watermarker.Embed(generated.Create(1), Payload), 0.3);

        var reading = watermarker.Extract(attacked);

        Assert.True(reading.Found);
        Assert.Equal(Payload, reading.Payload);
    }

    [Fact]
    public void Extract_RightThirdMirroredWithAnotherKey_FindsNothing()
    {
        // Marked, so the strongest sync passes the refold's gate and every refold is decoded: each still needs the key's tag.
        var attacked = GeometricAttacks.MirrorRightPart(new ImageWatermarker(Key).Embed(generated.Create(1), Payload), 0.3);

        var reading = new ImageWatermarker(WatermarkKey.Parse("0x" + new string('f', 64))).Extract(attacked);

        Assert.False(reading.Found);
    }

    [Fact]
    public void Inverse_OfEachTurnOrMirror_UndoesIt()
    {
        for (var element = 0; element < TileDihedral.Elements.Count; element++)
        {
            var inverse = TileDihedral.Inverse(element);
            var (u, v) = TileDihedral.Apply(element, 3, -7);
            Assert.Equal((3, -7), TileDihedral.Apply(inverse, u, v));
        }
    }

    /// <summary>
    /// The residual of generated picture <paramref name="seed"/>, marked, with its right <paramref name="fraction"/> replaced by
    /// the mirror image of its left part, and the codeword marked.
    /// </summary>
    private LumaPlane MirroredResidual(ulong seed, double fraction, out bool[] codeword)
    {
        var marked = new ImageWatermarker(Key).Embed(generated.Create(seed), Payload);
        var luma = LumaPlane.FromImage(GeometricAttacks.MirrorRightPart(marked, fraction));
        var residual = new LumaPlane(luma.Width, luma.Height);
        ReaderFrontEnd.Residual(luma, residual);
        codeword = CodewordSearch.Codec.Encode(Payload, PayloadMac.For(Key).Tag(Payload));
        return residual;
    }

    private static TileReading Best(double[] folded) =>
        TileReader.Read(TileSpectrum.Of(folded), CodewordSearch.Layout, CodewordSearch.Codec.CodewordBits, 1)[0];

    private static int SymbolErrors(TileReading reading, bool[] codeword)
    {
        var wrong = new HashSet<int>();
        for (var i = 0; i < codeword.Length; i++)
        {
            if ((reading.SoftBits[i] < 0 ^ CodewordSearch.Layout.Scramble[i]) != codeword[i])
            {
                wrong.Add(i / PayloadCodec.SymbolBits);
            }
        }

        return wrong.Count;
    }
}
