using System.Buffers.Binary;

namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// Checks the CRC-32 of every chunk of a PNG file. libpng, as SkiaSharp builds it, only warns on a
/// bad CRC in some chunks and may still return pixels; a provenance tool should not silently
/// accept a file that is damaged, so every chunk is checked before decoding.
/// </summary>
internal static class PngChunks
{
    // Slice-by-8 tables: table 0 is the classic byte-wise table; table t advances a byte by t more zero bytes.
    private static readonly uint[][] CrcTables = BuildCrcTables();

    /// <summary>Walks the chunks after the signature and checks each CRC.</summary>
    /// <exception cref="UnreadableImageException">A bad CRC (corrupt), or a chunk that runs past the end of the file (truncated).</exception>
    public static void Verify(ReadOnlySpan<byte> file)
    {
        var position = 8;
        while (position < file.Length)
        {
            if (position + 8 > file.Length)
            {
                throw new UnreadableImageException(UnreadableImageReason.Truncated, "The PNG file is truncated (it ends inside a chunk header).");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
            var type = file.Slice(position + 4, 4);
            var name = ChunkName(type);
            if (length > int.MaxValue || position + 12L + length > file.Length)
            {
                throw new UnreadableImageException(UnreadableImageReason.Truncated, $"The PNG file is truncated (chunk {name} runs past the end).");
            }

            if (!HasValidCrc(file.Slice(position + 4, 4 + (int)length + 4)))
            {
                throw new UnreadableImageException(UnreadableImageReason.Corrupt, $"The PNG file is corrupt (CRC mismatch in chunk {name}).");
            }

            position += 12 + (int)length;
            if (type.SequenceEqual("IEND"u8))
            {
                return; // Bytes after IEND are ignored, as every PNG reader does.
            }
        }

        throw new UnreadableImageException(UnreadableImageReason.Truncated, "The PNG file is truncated (no IEND chunk).");
    }

    /// <summary>True when the last four bytes of <paramref name="typeDataCrc"/> are the CRC-32 of the rest (chunk type and data).</summary>
    public static bool HasValidCrc(ReadOnlySpan<byte> typeDataCrc)
    {
        var covered = typeDataCrc[..^4];
        return Crc32(covered) == BinaryPrimitives.ReadUInt32BigEndian(typeDataCrc[^4..]);
    }

    /// <summary>The CRC-32 (ISO-HDLC, as in PNG and zlib) of <paramref name="data"/>, eight bytes a step.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var t = CrcTables;
        var crc = 0xFFFFFFFFu;
        while (data.Length >= 8)
        {
            var low = crc ^ BinaryPrimitives.ReadUInt32LittleEndian(data);
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t[7][low & 0xFF] ^ t[6][(low >> 8) & 0xFF] ^ t[5][(low >> 16) & 0xFF] ^ t[4][low >> 24]
                ^ t[3][high & 0xFF] ^ t[2][(high >> 8) & 0xFF] ^ t[1][(high >> 16) & 0xFF] ^ t[0][high >> 24];
            data = data[8..];
        }

        foreach (var b in data)
        {
            crc = t[0][(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFFu;
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z')))
            {
                return "0x" + Convert.ToHexString(type);
            }
        }

        return System.Text.Encoding.ASCII.GetString(type);
    }

    private static uint[][] BuildCrcTables()
    {
        var tables = new uint[8][];
        for (var t = 0; t < 8; t++)
        {
            tables[t] = new uint[256];
        }

        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            tables[0][n] = c;
        }

        for (var n = 0; n < 256; n++)
        {
            for (var t = 1; t < 8; t++)
            {
                var previous = tables[t - 1][n];
                tables[t][n] = tables[0][previous & 0xFF] ^ (previous >> 8);
            }
        }

        return tables;
    }
}
