using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Watermarking.Tests.Image;

/// <summary>
/// One read for many keys: the network's layout is demodulated once and each key's MAC is tried on the payload,
/// so a reader holding a thousand nodes' keys finds what the marking key alone finds, and nothing for a key it lacks.
/// </summary>
public sealed class ImageWatermarkReaderTests
{
    private const int Nodes = 1_000;
    private const int MarkingNode = 737;
    private static readonly WatermarkKey[] Keys = [.. Enumerable.Range(0, Nodes).Select(_ => WatermarkKey.Generate())];
    private static readonly ImageWatermarkReader ThousandKeys = new(Keys);

    [Fact]
    public void Read_ThousandKeys_FindsThePayloadAndOnlyTheMarkingKey()
    {
        const ulong payload = 0x0123_4567_89AB_CDEF;
        var marked = new ImageWatermarker(Keys[MarkingNode]).Embed(SyntheticImages.Create(0), payload);

        var found = ThousandKeys.Read(ImageAttacks.Jpeg(marked, 50));

        Assert.Equal(payload, found.Reading.Payload);
        Assert.Equal([MarkingNode], found.KeyIndices);
    }

    [Fact]
    public void Read_MarkedByAKeyTheReaderLacks_IsNotFound()
    {
        // Node A marks; the reader holds only node B's key (and a thousand others): the payload decodes, but no MAC matches.
        var nodeA = WatermarkKey.Generate();
        var marked = new ImageWatermarker(nodeA).Embed(SyntheticImages.Create(3), 42);

        Assert.Same(ImageWatermarkAttribution.NotFound, new ImageWatermarkReader([Keys[1]]).Read(marked));
        Assert.Same(ImageWatermarkAttribution.NotFound, ThousandKeys.Read(marked));
        Assert.Equal(42UL, new ImageWatermarker(nodeA).Extract(marked).Payload);
    }

    [Fact]
    public void Read_UnmarkedPicture_IsNotFound()
    {
        Assert.Same(ImageWatermarkAttribution.NotFound, ThousandKeys.Read(SyntheticImages.Create(4)));
    }

    [Fact]
    public void Read_NoKeys_FindsNothing()
    {
        var marked = new ImageWatermarker(Keys[0]).Embed(SyntheticImages.Create(4), 7);

        Assert.Same(ImageWatermarkAttribution.NotFound, new ImageWatermarkReader([]).Read(marked));
    }

    [Fact]
    public void Read_TwoOfTheKeysMarkedTwoPictures_EachIsAttributedToItsOwn()
    {
        var first = new ImageWatermarker(Keys[3]).Embed(SyntheticImages.Create(1), 1);
        var second = new ImageWatermarker(Keys[998]).Embed(SyntheticImages.Create(2), 1);

        Assert.Equal([3], ThousandKeys.Read(first).KeyIndices);
        Assert.Equal([998], ThousandKeys.Read(second).KeyIndices);
    }

    [Fact]
    public void Read_PayloadPlacedWithAGuessedTag_IsAttributedToNoKey()
    {
        // Who knows only the network's layout can place any payload, but must guess a key's 26-bit tag for it.
        const ulong payload = 0x5EED;
        var macOfTheKey = PayloadMac.For(Keys[5]).Tag(payload);
        var placed = new ImageWatermarker(WatermarkKey.Generate()).EmbedTagged(SyntheticImages.Create(0), payload, macOfTheKey ^ 1);

        Assert.Same(ImageWatermarkAttribution.NotFound, ThousandKeys.Read(placed));
    }

    [Fact]
    public void Read_CodewordCopiedFromAMarkedPictureIntoAnother_IsAttributedToTheSameKey()
    {
        // The accepted limit of a public layout: anyone can read a mark's payload and tag without a key and place them
        // in another picture. It leads only to the marking node's own record (the payload is that record's), never to
        // another node's; the ledger's answer says that anyone could have copied the mark.
        var marked = new ImageWatermarker(Keys[MarkingNode]).Embed(SyntheticImages.Create(1), 99);
        (ulong Payload, ulong Tag)? read = null;
        CodewordSearch.Extract(marked, new ImageWatermarkOptions(), (payload, tag) =>
        {
            read = (payload, tag);
            return true;
        });
        var copy = new ImageWatermarker(WatermarkKey.Generate()).EmbedTagged(SyntheticImages.Create(5), read!.Value.Payload, read.Value.Tag);

        var found = ThousandKeys.Read(copy);

        Assert.Equal(99UL, found.Reading.Payload);
        Assert.Equal([MarkingNode], found.KeyIndices);
    }

    [Fact]
    public void Constructor_NullKey_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new ImageWatermarkReader([Keys[0], null!]));
    }
}
