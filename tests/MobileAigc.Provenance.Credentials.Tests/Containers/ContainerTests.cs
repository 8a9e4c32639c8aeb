using System.Buffers.Binary;
using System.Security.Cryptography;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Credentials.Tests.Containers;

public sealed class ContainerTests
{
    [Fact]
    public void Locate_ReferenceJpeg_FindsTheC2paStoreInItsApp11Segments()
    {
        var file = Fixtures.C2paRs("C.jpg");

        var location = AssetContainers.Locate(file)!;

        var store = JumbfReader.ReadSuperBox(location.ManifestStore);
        Assert.Equal("c2pa", store.Label);
        Assert.Equal(C2paContentTypes.ManifestStore, store.ContentType);
        Assert.Equal(20, Assert.Single(location.Ranges).Start);
    }

    [Fact]
    public void Locate_JpegWithoutStore_IsNull()
    {
        Assert.Null(AssetContainers.Locate(Fixtures.C2paRs("no_manifest.jpg")));
    }

    [Fact]
    public void StripAndEmbed_ReferenceJpeg_KeepTheAssetHash()
    {
        var file = Fixtures.C2paRs("C.jpg");
        var store = AssetContainers.Locate(file)!.ManifestStore;
        var stripped = AssetContainers.Strip(file);

        var embedded = AssetContainers.Embed(stripped, store);

        Assert.Equal(SHA256.HashData(stripped), AssetContainers.AssetHash(file).ToArray());
        Assert.Equal(AssetContainers.AssetHash(file), AssetContainers.AssetHash(embedded.File));
        Assert.Equal(store.ToArray(), AssetContainers.Locate(embedded.File)!.ManifestStore.ToArray());
        Assert.Equal(embedded.ManifestRanges, AssetContainers.Locate(embedded.File)!.Ranges);
        Assert.Equal(20, embedded.ManifestRanges[0].Start); // after SOI and the JFIF APP0
    }

    [Fact]
    public void Embed_JpegStoreOver64KiB_SplitsIntoSegmentsRepeatingTheBoxHeader()
    {
        var stripped = AssetContainers.Strip(Fixtures.C2paRs("no_manifest.jpg"));
        var store = TestImages.Store(200_000).Encoded;

        var embedded = AssetContainers.Embed(stripped, store);

        var range = Assert.Single(embedded.ManifestRanges);
        var span = embedded.File.AsSpan((int)range.Start, (int)range.Length);
        var segments = 0;
        for (var position = 0; position < span.Length; segments++)
        {
            Assert.Equal(0xFFEB, BinaryPrimitives.ReadUInt16BigEndian(span[position..]));
            Assert.Equal((uint)segments + 1, BinaryPrimitives.ReadUInt32BigEndian(span[(position + 8)..]));
            Assert.True(span.Slice(position + 12, 8).SequenceEqual(store.Span[..8]));
            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(span[(position + 2)..]);
        }

        Assert.Equal(4, segments);
        Assert.Equal(store.ToArray(), AssetContainers.Locate(embedded.File)!.ManifestStore.ToArray());
        Assert.Equal(stripped, AssetContainers.Strip(embedded.File));
    }

    [Fact]
    public void Embed_Png_PutsCaBxAfterIhdrAndStripRestoresTheFile()
    {
        var png = TestImages.Png();
        var store = TestImages.Store().Encoded;

        var embedded = AssetContainers.Embed(png, store);

        Assert.Equal(AssetFormat.Png, AssetContainers.Detect(embedded.File));
        Assert.Equal(new ByteRange(33, store.Length + 12), Assert.Single(embedded.ManifestRanges));
        Assert.Equal("caBX"u8.ToArray(), embedded.File[37..41]);
        Assert.Equal(store.ToArray(), AssetContainers.Locate(embedded.File)!.ManifestStore.ToArray());
        Assert.Equal(png, AssetContainers.Strip(embedded.File));
        Assert.Equal(AssetContainers.AssetHash(png), AssetContainers.AssetHash(embedded.File));
        Assert.Equal(embedded.File, AssetContainers.Embed(embedded.File, store).File);
    }

    [Fact]
    public void Locate_PngWithBadCrc_FindsTheStoreAsTheSdkDoes()
    {
        var embedded = AssetContainers.Embed(TestImages.Png(), TestImages.Store().Encoded);
        var file = embedded.File;
        file[50] ^= 0x01;

        var location = AssetContainers.Locate(file);

        Assert.NotNull(location);
        Assert.Equal(embedded.ManifestRanges, location.Ranges);
        Assert.Equal(file[41..(int)(embedded.ManifestRanges[0].End - 4)], location.ManifestStore.ToArray());
    }

    [Fact]
    public void Locate_PngWithTwoStores_IsMultipleManifestStores()
    {
        var file = AssetContainers.Embed(TestImages.Png(), TestImages.Store().Encoded).File;
        using var stream = new MemoryStream();
        stream.Write(file.AsSpan(0, file.Length - 12));
        TestImages.WriteChunk(stream, "caBX", TestImages.Store().Encoded.ToArray());
        stream.Write(file.AsSpan(file.Length - 12));

        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate(stream.ToArray()));

        Assert.Equal(JumbfErrorReason.MultipleManifestStores, error.Reason);
    }

    [Fact]
    public void Locate_JpegWithTwoStores_IsMultipleManifestStores()
    {
        var file = Fixtures.C2paRs("C.jpg");
        var range = AssetContainers.Locate(file)!.Ranges[0];
        var segments = file.AsSpan((int)range.Start, (int)range.Length).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(segments.AsSpan(6), 0x7777); // another box instance
        byte[] doubled = [.. file.AsSpan(0, (int)range.End), .. segments, .. file.AsSpan((int)range.End)];

        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate(doubled));

        Assert.Equal(JumbfErrorReason.MultipleManifestStores, error.Reason);
    }

    [Fact]
    public void Locate_JpegWithBrokenJumbfOfAnotherKind_IgnoresItAndFindsTheStore()
    {
        var file = Fixtures.C2paRs("C.jpg");
        byte[] foreign = [0xFF, 0xEB, 0, 44, (byte)'J', (byte)'P', 0x09, 0x99, 0, 0, 0, 1, 0, 0, 1, 0, .. "jumb"u8, 0, 0, 0, 0x30, .. "jumd"u8, .. new byte[16], 0, 0];
        byte[] withForeign = [.. file.AsSpan(0, 2), .. foreign, .. file.AsSpan(2)];

        var location = AssetContainers.Locate(withForeign)!;

        Assert.Equal(AssetContainers.Locate(file)!.ManifestStore.ToArray(), location.ManifestStore.ToArray());
        Assert.Equal(withForeign.Length - file.Length, AssetContainers.Embed(AssetContainers.Strip(withForeign), location.ManifestStore).File.Length - AssetContainers.Embed(AssetContainers.Strip(file), location.ManifestStore).File.Length);
    }

    [Fact]
    public void Locate_JpegMissingAContinuationSegment_IsTruncated()
    {
        var stripped = AssetContainers.Strip(Fixtures.C2paRs("no_manifest.jpg"));
        var embedded = AssetContainers.Embed(stripped, TestImages.Store(100_000).Encoded);
        var start = (int)embedded.ManifestRanges[0].Start;
        var firstLength = 2 + BinaryPrimitives.ReadUInt16BigEndian(embedded.File.AsSpan(start + 2));
        var secondLength = 2 + BinaryPrimitives.ReadUInt16BigEndian(embedded.File.AsSpan(start + firstLength + 2));
        byte[] missing = [.. embedded.File.AsSpan(0, start + firstLength), .. embedded.File.AsSpan(start + firstLength + secondLength)];

        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate(missing));

        Assert.Equal(JumbfErrorReason.Truncated, error.Reason);
    }

    [Theory]
    [InlineData(100)] // an even store: no pad byte
    [InlineData(101)] // an odd store: a pad byte the data hash covers and Strip removes
    public void Embed_Webp_AppendsAC2paChunkAndStripRestoresTheFile(int payloadBytes)
    {
        var webp = ImageCodec.Encode(RgbImage.Create(16, 8), ImageFileFormat.Webp, quality: 80);
        var store = TestImages.Store(payloadBytes).Encoded;

        var embedded = AssetContainers.Embed(webp, store);

        Assert.Equal(AssetFormat.Webp, AssetContainers.Detect(embedded.File));
        Assert.Equal(new ByteRange(webp.Length, 8 + store.Length), Assert.Single(embedded.ManifestRanges));
        Assert.Equal(webp.Length + 8 + store.Length + (store.Length & 1), embedded.File.Length);
        Assert.Equal("C2PA"u8.ToArray(), embedded.File[webp.Length..(webp.Length + 4)]);
        Assert.Equal((uint)(embedded.File.Length - 8), BinaryPrimitives.ReadUInt32LittleEndian(embedded.File.AsSpan(4)));
        Assert.Equal(store.ToArray(), AssetContainers.Locate(embedded.File)!.ManifestStore.ToArray());
        Assert.Equal(embedded.ManifestRanges, AssetContainers.Locate(embedded.File)!.Ranges);
        Assert.Equal(webp, AssetContainers.Strip(embedded.File));
        Assert.Equal(AssetContainers.AssetHash(webp), AssetContainers.AssetHash(embedded.File));
        Assert.Equal(embedded.File, AssetContainers.Embed(embedded.File, store).File);
        Assert.Equal(16, ImageCodec.Decode(embedded.File).Width);
    }

    [Fact]
    public void Locate_WebpWithTwoStores_IsMultipleManifestStores()
    {
        var file = AssetContainers.Embed(ImageCodec.Encode(RgbImage.Create(16, 8), ImageFileFormat.Webp), TestImages.Store().Encoded).File;
        var range = AssetContainers.Locate(file)!.Ranges[0];
        byte[] doubled = [.. file, .. file.AsSpan((int)range.Start, (int)range.Length)];
        BinaryPrimitives.WriteUInt32LittleEndian(doubled.AsSpan(4), (uint)(doubled.Length - 8));

        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate(doubled));

        Assert.Equal(JumbfErrorReason.MultipleManifestStores, error.Reason);
    }

    [Fact]
    public void Locate_WebpWhoseStoreChunkRunsPastTheEnd_IsTruncated()
    {
        var file = AssetContainers.Embed(ImageCodec.Encode(RgbImage.Create(16, 8), ImageFileFormat.Webp), TestImages.Store().Encoded).File;
        var at = (int)AssetContainers.Locate(file)!.Ranges[0].Start + 4;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(at), BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at)) + 2);

        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate(file));

        Assert.Equal(JumbfErrorReason.Truncated, error.Reason);
    }

    [Fact]
    public void Locate_WebpWithALyingRiffSize_FindsTheStoreAsTheSdkDoes_ButEmbedRefusesTheFile()
    {
        // The RIFF size is hashed, not trusted: a changed size is for the data hash to report.
        var embedded = AssetContainers.Embed(ImageCodec.Encode(RgbImage.Create(16, 8), ImageFileFormat.Webp), TestImages.Store().Encoded);
        var file = embedded.File;
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 1_000_000);

        Assert.Equal(embedded.ManifestRanges, AssetContainers.Locate(file)!.Ranges);
        var error = Assert.Throws<JumbfException>(() => AssetContainers.Embed(file, TestImages.Store().Encoded));
        Assert.Equal(JumbfErrorReason.ContainerCorrupt, error.Reason);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), 10);
        Assert.Equal(JumbfErrorReason.ContainerCorrupt, Assert.Throws<JumbfException>(() => AssetContainers.Strip(file)).Reason);
    }

    [Fact]
    public void Locate_NeitherPngNorJpeg_IsUnsupportedFormat()
    {
        var error = Assert.Throws<JumbfException>(() => AssetContainers.Locate("GIF89a"u8.ToArray()));

        Assert.Equal(JumbfErrorReason.UnsupportedFormat, error.Reason);
    }

    [Fact]
    public void Embed_NotOneBox_IsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => AssetContainers.Embed(TestImages.Png(), new byte[] { 1, 2, 3 }));
    }
}
