using System.Buffers.Binary;
using System.Text;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// PNG, JPEG and WebP files for both readers (a PNG with an ancillary text chunk, so that a change there can be tested),
/// and the one-byte changes outside or inside a manifest store whose verdict both readers must agree on.
/// </summary>
internal static class InteropImages
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Webp = "image/webp";

    /// <summary>A 64×64 gradient, <paramref name="seed"/> shifting its colours; a PNG carries a <c>tEXt</c> chunk before its pixels.</summary>
    public static byte[] Encode(string mime, int seed = 0)
    {
        const int side = 64;
        var image = RgbImage.Create(side, side);
        for (var i = 0; i < image.Pixels.Length; i++)
        {
            var pixel = i / 3;
            image.Pixels[i] = (byte)((((pixel % side) * 4) + ((pixel / side) * (i % 3)) + seed) & 0xFF);
        }

        return mime switch
        {
            Png => WithTextChunk(ImageCodec.Encode(image, ImageFileFormat.Png)),
            Jpeg => ImageCodec.Encode(image, ImageFileFormat.Jpeg),
            Webp => ImageCodec.Encode(image, ImageFileFormat.Webp, quality: 80),
            _ => throw new ArgumentOutOfRangeException(nameof(mime), mime, "image/png, image/jpeg or image/webp"),
        };
    }

    /// <summary>The file with the byte at <paramref name="index"/> flipped in its lowest bit.</summary>
    public static byte[] WithByteFlipped(byte[] file, int index)
    {
        var changed = (byte[])file.Clone();
        changed[index] ^= 0x01;
        return changed;
    }

    /// <summary>The middle byte of the data of the first chunk of <paramref name="type"/> in a PNG.</summary>
    public static int PngChunkDataByte(byte[] png, string type)
    {
        for (var offset = 8; offset + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset));
            if (Encoding.ASCII.GetString(png, offset + 4, 4) == type && length > 0)
            {
                return offset + 8 + (length / 2);
            }

            offset += 12 + length;
        }

        throw new InvalidOperationException($"The PNG has no {type} chunk.");
    }

    /// <summary>The offset of a byte <paramref name="fraction"/> of the way into the data of a WebP's first <paramref name="fourCc"/> chunk.</summary>
    public static int WebpChunkDataByte(byte[] webp, string fourCc, double fraction)
    {
        for (var offset = 12; offset + 8 <= webp.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(webp.AsSpan(offset + 4));
            if (Encoding.ASCII.GetString(webp, offset, 4) == fourCc && length > 0)
            {
                return offset + 8 + (int)(length * fraction);
            }

            offset += 8 + length + (length & 1);
        }

        throw new InvalidOperationException($"The WebP has no {fourCc} chunk.");
    }

    /// <summary>A byte of a JPEG's entropy-coded scan, a fraction of the way into it, whose change makes no marker.</summary>
    public static int JpegScanByte(byte[] jpeg, double fraction)
    {
        var scanStart = ScanStart(jpeg);
        var end = jpeg.Length - 2;
        for (var index = scanStart + (int)((end - scanStart) * fraction); index < end; index++)
        {
            if (jpeg[index] < 0xF0 && jpeg[index - 1] != 0xFF)
            {
                return index;
            }
        }

        throw new InvalidOperationException("The JPEG has no scan byte to change.");
    }

    /// <summary>
    /// The offset in <paramref name="file"/> of a byte of the active manifest's claim: a character of its
    /// <c>instanceID</c> value, so that the claim stays well-formed CBOR and only its signature can notice.
    /// </summary>
    public static int ClaimByte(byte[] file)
    {
        // The active manifest is the store's last; its claim box (c2pa.claim or c2pa.claim.v2) the last claim.
        var claim = file.AsSpan().LastIndexOf("c2pa.claim"u8);
        // xmp.iid: (the SDK) or xmp:iid: (others), followed by a UUID.
        var instance = claim < 0 ? -1 : file.AsSpan(claim).IndexOf("iid:"u8);
        return instance < 0
            ? throw new InvalidOperationException("The file's claim carries no xmp iid: instance ID.")
            : claim + instance + "iid:".Length + 4;
    }

    private static int ScanStart(byte[] jpeg)
    {
        for (var offset = 2; offset + 4 <= jpeg.Length;)
        {
            var marker = jpeg[offset + 1];
            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(offset + 2));
            if (marker == 0xDA)
            {
                return offset + 2 + length;
            }

            offset += 2 + length;
        }

        throw new InvalidOperationException("The JPEG has no start of scan.");
    }

    private static byte[] WithTextChunk(byte[] png)
    {
        // IHDR is 8 + 12 + 13 bytes from the start; the text chunk goes right after it.
        const int afterHeader = 8 + 25;
        using var stream = new MemoryStream();
        stream.Write(png, 0, afterHeader);
        TestImages.WriteChunk(stream, "tEXt", Encoding.Latin1.GetBytes("Comment\0an ancillary chunk the data hash covers"));
        stream.Write(png, afterHeader, png.Length - afterHeader);
        return stream.ToArray();
    }
}
