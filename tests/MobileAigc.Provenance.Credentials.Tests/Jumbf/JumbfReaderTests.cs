using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Tests.Support;

namespace MobileAigc.Provenance.Credentials.Tests.Jumbf;

public sealed class JumbfReaderTests
{
    [Fact]
    public void ReadSuperBox_WrittenStore_RoundTripsByteForByte()
    {
        var store = TestImages.Store();
        var bytes = JumbfWriter.Write(store);

        var read = JumbfReader.ReadSuperBox(bytes);

        Assert.Equal("c2pa", read.Label);
        Assert.Equal(C2paContentTypes.ManifestStore, read.ContentType);
        var manifest = Assert.Single(read.SuperBoxes);
        Assert.Equal(C2paContentTypes.Manifest, manifest.ContentType);
        var assertion = manifest.FindChild("c2pa.assertions")!.FindChild("c2pa.hash.data")!;
        Assert.Equal(((JumbfDataBox)TestImages.Store().SuperBoxes.Single().FindChild("c2pa.assertions")!.FindChild("c2pa.hash.data")!.Children[0]).Payload.ToArray(),
            assertion.FindData(JumbfBoxTypes.Cbor)!.Payload.ToArray());
        Assert.Equal(bytes, JumbfWriter.Write(read));
        Assert.Equal(bytes, read.Encoded.ToArray());
        Assert.Equal(bytes[8..], read.EncodedPayload.ToArray());
    }

    [Fact]
    public void ReadSuperBox_DescriptionWithIdSignatureAndPrivateBox_RoundTrips()
    {
        var signature = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var description = new JumbfDescriptionBox(C2paContentTypes.Json, "label", 42, signature, JumbfDataBox.Salt(new byte[] { 1, 2, 3 }));
        var box = new JumbfSuperBox(description, [JumbfDataBox.Json("{}"u8.ToArray())]);

        var read = JumbfReader.ReadSuperBox(JumbfWriter.Write(box));

        Assert.Equal(42u, read.Description.Id);
        Assert.Equal(signature, read.Description.Signature!.Value.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Description.PrivateBox!.Payload.ToArray());
        Assert.True(read.Description.Requestable);
        Assert.Equal("{}"u8.ToArray(), read.FindData(JumbfBoxTypes.Json)!.Payload.ToArray());
    }

    [Fact]
    public void ReadBoxes_ExtendedAndToEndSizes_AreHonoured()
    {
        byte[] extended = [0, 0, 0, 1, .. "cbor"u8, 0, 0, 0, 0, 0, 0, 0, 18, 0xAB, 0xCD];
        byte[] toEnd = [0, 0, 0, 0, .. "json"u8, (byte)'{', (byte)'}'];

        var boxes = JumbfReader.ReadBoxes((byte[])[.. extended, .. toEnd]);

        Assert.Equal(new byte[] { 0xAB, 0xCD }, ((JumbfDataBox)boxes[0]).Payload.ToArray());
        Assert.Equal("{}"u8.ToArray(), ((JumbfDataBox)boxes[1]).Payload.ToArray());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(20)]
    [InlineData(60)]
    public void ReadSuperBox_Truncated_IsTypedError(int keep)
    {
        var bytes = JumbfWriter.Write(TestImages.Store());

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(bytes[..keep]));

        Assert.Equal(JumbfErrorReason.Truncated, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_InnerLengthLyingUp_IsLengthOutOfRange()
    {
        var bytes = JumbfWriter.Write(TestImages.Store());
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(8), 0x7FFF_FFFF); // the jumd box of the store

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(bytes));

        Assert.Equal(JumbfErrorReason.LengthOutOfRange, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_TwoGigabyteExtendedSize_IsTypedErrorWithoutAllocation()
    {
        byte[] box = [0, 0, 0, 1, .. "jumb"u8, 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0];

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(box));

        Assert.Equal(JumbfErrorReason.Truncated, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_NestedThousandDeep_IsTooDeep()
    {
        JumbfBox box = JumbfDataBox.Cbor(new byte[] { 0xA0 });
        for (var i = 0; i < 1000; i++)
        {
            box = new JumbfSuperBox(C2paContentTypes.Cbor, "n" + i, box);
        }

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(box.Encoded));

        Assert.Equal(JumbfErrorReason.TooDeep, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_TooManyBoxes_IsTypedError()
    {
        var children = Enumerable.Range(0, 50).Select(_ => (JumbfBox)JumbfDataBox.Cbor(new byte[] { 0xA0 })).ToArray();
        var box = new JumbfSuperBox(C2paContentTypes.Cbor, "many", children);

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(box.Encoded, JumbfLimits.Default with { MaxBoxes = 20 }));

        Assert.Equal(JumbfErrorReason.TooManyBoxes, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_SuperboxWithoutDescription_IsMalformed()
    {
        byte[] box = [0, 0, 0, 17, .. "jumb"u8, 0, 0, 0, 9, .. "cbor"u8, 0xA0];

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(box));

        Assert.Equal(JumbfErrorReason.Malformed, error.Reason);
    }

    [Fact]
    public void ReadSuperBox_LabelWithoutTerminator_IsMalformed()
    {
        byte[] description = [0, 0, 0, 28, .. "jumd"u8, .. new byte[16], 0x03, (byte)'a', (byte)'b', (byte)'c'];
        byte[] box = [0, 0, 0, 36, .. "jumb"u8, .. description];

        var error = Assert.Throws<JumbfException>(() => JumbfReader.ReadSuperBox(box));

        Assert.Equal(JumbfErrorReason.Malformed, error.Reason);
    }

    [Fact]
    public void EmbeddedFile_RoundTripsMediaTypeNameAndBytes()
    {
        var file = new JumbfEmbeddedFile("image/jpeg", "thumb.jpg", new byte[] { 0xFF, 0xD8 });
        var box = new JumbfSuperBox(new JumbfDescriptionBox(C2paContentTypes.EmbeddedFile, "c2pa.thumbnail.claim.jpeg"), file.ToBoxes());

        var read = JumbfEmbeddedFile.From(JumbfReader.ReadSuperBox(box.Encoded))!;

        Assert.Equal("image/jpeg", read.MediaType);
        Assert.Equal("thumb.jpg", read.FileName);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, read.Data.ToArray());
    }
}
