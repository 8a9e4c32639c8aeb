using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using MobileAigc.Provenance.Credentials.Containers;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>Small decodable PNG files of random pixels made from a seed, for tests that need real image files.</summary>
internal static class SamplePngs
{

    public static byte[] Png(int width, int height, int seed)
    {
        var random = new Random(seed);
        var raw = new byte[height * (1 + (width * 3))];
        for (var row = 0; row < height; row++)
        {
            var offset = row * (1 + (width * 3));
            raw[offset] = 0;
            random.NextBytes(raw.AsSpan(offset + 1, width * 3));
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // truecolour
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        png.Write(Chunk("IHDR", header));
        png.Write(Chunk("IDAT", compressed.ToArray()));
        png.Write(Chunk("IEND", []));
        return png.ToArray();
    }

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4, 4));
        data.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Compute(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }
}
