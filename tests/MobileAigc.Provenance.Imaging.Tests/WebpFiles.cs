using System.Buffers.Binary;
using System.Text;
using SkiaSharp;

namespace MobileAigc.Provenance.Imaging.Tests;

/// <summary>Builds and doctors WebP (RIFF) files byte by byte, independently of the code under test.</summary>
internal static class WebpFiles
{
    public const byte AlphaFlag = 0x10;
    public const byte ExifFlag = 0x08;
    public const byte AnimationFlag = 0x02;

    /// <summary>Lossy (VP8) at <paramref name="quality"/> below 100, lossless (VP8L) at 100; simple format.</summary>
    public static byte[] Encode(RgbImage image, int quality = 90) => ImageCodec.Encode(image, ImageFileFormat.Webp, quality);

    /// <summary>A picture with transparent pixels, as libwebp writes it (extended format, an ALPH chunk, lossy VP8).</summary>
    public static byte[] WithAlpha(int width, int height, Func<int, int, SKColor> colour, int quality = 90)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                bitmap.SetPixel(x, y, colour(x, y));
            }
        }

        using var webp = bitmap.Encode(SKEncodedImageFormat.Webp, quality);
        return webp.ToArray();
    }

    /// <summary>A chunk: FourCC, little-endian data size, data, and a zero pad byte after odd-sized data.</summary>
    public static byte[] Chunk(string fourCc, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[8 + data.Length + (data.Length & 1)];
        Encoding.ASCII.GetBytes(fourCc, chunk.AsSpan(0, 4));
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
        data.CopyTo(chunk.AsSpan(8));
        return chunk;
    }

    /// <summary>A RIFF WEBP file of the chunks given, with a correct RIFF size.</summary>
    public static byte[] Riff(params byte[][] chunks)
    {
        byte[] body = [.. "WEBP"u8, .. chunks.SelectMany(chunk => chunk)];
        var file = new byte[8 + body.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)body.Length);
        body.CopyTo(file, 8);
        return file;
    }

    /// <summary>A VP8X chunk with <paramref name="flags"/> and a canvas of <paramref name="width"/>×<paramref name="height"/> (1 to 2^24).</summary>
    public static byte[] Vp8x(byte flags, long width, long height)
    {
        var data = new byte[10];
        data[0] = flags;
        WriteUInt24(data.AsSpan(4), width - 1);
        WriteUInt24(data.AsSpan(7), height - 1);
        return Chunk("VP8X", data);
    }

    /// <summary>
    /// A simple-format file turned extended: a VP8X header declaring <paramref name="width"/>×<paramref name="height"/>
    /// (default: the bitstream's size), the file's chunks, then <paramref name="after"/>.
    /// </summary>
    public static byte[] Extended(byte[] simple, byte flags, long? width = null, long? height = null, params byte[][] after)
    {
        var (bitstreamWidth, bitstreamHeight) = BitstreamSize(simple);
        return Riff([Vp8x(flags, width ?? bitstreamWidth, height ?? bitstreamHeight), .. Chunks(simple).Select(c => ChunkBytes(simple, c)), .. after]);
    }

    /// <summary>The file with <paramref name="chunks"/> appended and its RIFF size updated.</summary>
    public static byte[] Appended(byte[] file, params byte[][] chunks) =>
        Riff([.. Chunks(file).Select(c => ChunkBytes(file, c)), .. chunks]);

    /// <summary>The chunks after the 12-byte file header: offset of the FourCC, FourCC, data length.</summary>
    public static List<(int Offset, string FourCc, int Length)> Chunks(byte[] file)
    {
        var chunks = new List<(int, string, int)>();
        for (var position = 12; position + 8 <= file.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(position + 4));
            chunks.Add((position, Encoding.ASCII.GetString(file, position, 4), length));
            position += 8 + length + (length & 1);
        }

        return chunks;
    }

    /// <summary>The size the first VP8 or VP8L chunk's header declares.</summary>
    public static (int Width, int Height) BitstreamSize(byte[] file)
    {
        var (offset, fourCc, _) = Chunks(file).First(c => c.FourCc is "VP8 " or "VP8L");
        var data = file.AsSpan(offset + 8);
        if (fourCc == "VP8L")
        {
            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            return ((int)(bits & 0x3FFF) + 1, (int)((bits >> 14) & 0x3FFF) + 1);
        }

        return (BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF);
    }

    /// <summary>A copy of a lossy simple-format file whose VP8 frame header declares the given 14-bit size.</summary>
    public static byte[] Vp8Declaring(byte[] file, ushort width, ushort height)
    {
        var copy = (byte[])file.Clone();
        var (offset, _, _) = Chunks(copy).First(c => c.FourCc == "VP8 ");
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset + 8 + 6), width);
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset + 8 + 8), height);
        return copy;
    }

    /// <summary>A copy with the RIFF size field set to <paramref name="size"/>.</summary>
    public static byte[] WithRiffSize(byte[] file, uint size)
    {
        var copy = (byte[])file.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(4), size);
        return copy;
    }

    /// <summary>The TIFF body of an EXIF chunk carrying only the orientation tag (1 to 8), little-endian as cameras write it.</summary>
    public static byte[] ExifOrientation(ushort orientation) =>
    [
        (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x01, 0x00,
        0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, (byte)orientation, (byte)(orientation >> 8), 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00,
    ];

    private static byte[] ChunkBytes(byte[] file, (int Offset, string FourCc, int Length) chunk) =>
        file.AsSpan(chunk.Offset, 8 + chunk.Length + (chunk.Length & 1)).ToArray();

    private static void WriteUInt24(Span<byte> target, long value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }
}
