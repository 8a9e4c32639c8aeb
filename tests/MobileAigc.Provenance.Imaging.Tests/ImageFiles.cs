using System.Buffers.Binary;
using System.Text;

namespace MobileAigc.Provenance.Imaging.Tests;

/// <summary>Builds and doctors PNG and JPEG files byte by byte, independently of the code under test.</summary>
internal static class ImageFiles
{
    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Png(RgbImage image) => ImageCodec.Encode(image, ImageFileFormat.Png);

    public static byte[] Jpeg(RgbImage image, int quality = 90) => ImageCodec.Encode(image, ImageFileFormat.Jpeg, quality);

    /// <summary>A PNG chunk: length, type, data, CRC-32 over type and data.</summary>
    public static byte[] PngChunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    /// <summary>A PNG whose IHDR (with a correct CRC) declares the given size, followed by a tiny IDAT and IEND.</summary>
    public static byte[] PngDeclaring(uint width, uint height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB
        byte[] idat = [0x78, 0x9C, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01]; // zlib of one zero byte
        return [.. PngSignature, .. PngChunk("IHDR", ihdr), .. PngChunk("IDAT", idat), .. PngChunk("IEND", [])];
    }

    /// <summary>Offsets (of the length field) and types of the chunks of a PNG.</summary>
    public static List<(int Offset, string Type, int Length)> PngChunks(byte[] png)
    {
        var chunks = new List<(int, string, int)>();
        for (var position = 8; position + 12 <= png.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(position));
            chunks.Add((position, Encoding.ASCII.GetString(png, position + 4, 4), length));
            position += 12 + length;
        }

        return chunks;
    }

    /// <summary>Recomputes every chunk's CRC, so that doctored data reaches the decoder.</summary>
    public static void FixPngCrcs(byte[] png)
    {
        foreach (var (offset, _, length) in PngChunks(png))
        {
            if (offset + 12 + length <= png.Length)
            {
                BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + 8 + length), Crc32(png.AsSpan(offset + 4, 4 + length)));
            }
        }
    }

    /// <summary>The offset of the first JPEG marker 0xFF <paramref name="marker"/> found by walking the segments.</summary>
    public static int JpegMarkerOffset(byte[] jpeg, byte marker)
    {
        for (var position = 2; position + 4 <= jpeg.Length;)
        {
            if (jpeg[position] != 0xFF)
            {
                throw new InvalidOperationException($"No marker at {position}.");
            }

            if (jpeg[position + 1] == marker)
            {
                return position;
            }

            position += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(position + 2));
        }

        throw new InvalidOperationException($"Marker 0xFF{marker:X2} not found.");
    }

    /// <summary>A copy of <paramref name="jpeg"/> whose baseline frame header (SOF0) declares the given size.</summary>
    public static byte[] JpegDeclaring(byte[] jpeg, ushort width, ushort height)
    {
        var copy = (byte[])jpeg.Clone();
        var sof = JpegMarkerOffset(copy, 0xC0);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 5), height);
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(sof + 7), width);
        return copy;
    }

    /// <summary>A copy of <paramref name="jpeg"/> with an EXIF APP1 segment carrying only the orientation tag (1 to 8).</summary>
    public static byte[] JpegWithExifOrientation(byte[] jpeg, ushort orientation)
    {
        // TIFF, big-endian: header, one IFD with one SHORT entry (0x0112), no next IFD.
        byte[] tiff =
        [
            (byte)'M', (byte)'M', 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,
            0x00, 0x01,
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (byte)(orientation >> 8), (byte)orientation, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ];
        byte[] payload = [.. "Exif\0\0"u8, .. tiff];
        var segment = new byte[4 + payload.Length];
        (segment[0], segment[1]) = (0xFF, 0xE1);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + payload.Length));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }
}
