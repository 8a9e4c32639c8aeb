using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

public sealed class UploadReaderTests
{
    private readonly UploadReader _reader = new(Options.Create(new VerificationOptions()));

    [Fact]
    public void Read_Text_IsTextWithItsSha256()
    {
        var text = "\uFEFFA poem, with a BOM.\r\n"u8.ToArray();

        var upload = _reader.Read(text);

        Assert.Null(upload.Image);
        Assert.Equal(Bytes32.Sha256(text), upload.ContentHash);
        Assert.Equal(text, upload.Bytes.ToArray());
    }

    [Fact]
    public void Read_Png_DecodesTheWholeImage()
    {
        var image = TestPictures.Create(7, 64, 48);
        var png = ImageCodec.Encode(image, ImageFileFormat.Png);

        var upload = _reader.Read(png);

        Assert.Equal(Bytes32.Sha256(png), upload.ContentHash);
        Assert.Equal((64, 48), (upload.Image!.Width, upload.Image.Height));
    }

    [Fact]
    public void Read_OverTheLimit_TooLargeBeforeDecoding()
    {
        var reader = new UploadReader(Options.Create(new VerificationOptions { MaxUploadBytes = 16 }));

        var e = Assert.Throws<UnsupportedContentException>(() => reader.Read(new byte[17]));

        Assert.Equal(UnsupportedContentReason.TooLarge, e.Reason);
    }

    [Theory]
    [InlineData(new byte[0], UnsupportedContentReason.Empty)]
    [InlineData(new byte[] { 0x00, 0x01, 0xfe, 0xff, 0x13, 0x37 }, UnsupportedContentReason.UnsupportedType)]
    [InlineData(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0 }, UnsupportedContentReason.Unreadable)]
    public void Read_BadBytes_ThrowsUnsupportedContentWithTheReason(byte[] file, UnsupportedContentReason reason)
    {
        var e = Assert.Throws<UnsupportedContentException>(() => _reader.Read(file));

        Assert.Equal(reason, e.Reason);
    }
}
