using System.Buffers.Binary;

namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// Reads the size of a WebP file from its RIFF container by walking every chunk, bounds-checked, before
/// libwebp sees a byte: the RIFF size must fit the file, every chunk must fit the RIFF, and the size the
/// <c>VP8X</c> header declares for the canvas must be the size the one <c>VP8 </c> or <c>VP8L</c> bitstream
/// declares. Animated files are refused. Nothing is allocated but the exception.
/// </summary>
/// <remarks>
/// Layout (Google's "WebP Container Specification"): <c>RIFF</c>, a 32-bit little-endian size of what follows,
/// <c>WEBP</c>, then chunks of a FourCC, a 32-bit little-endian data size and the data, padded to an even length.
/// The simple formats hold one <c>VP8 </c> (lossy) or <c>VP8L</c> (lossless) chunk first; the extended format a
/// <c>VP8X</c> chunk first (flags and canvas size), then optional <c>ICCP</c>, <c>ALPH</c>, the bitstream,
/// <c>EXIF</c>, <c>XMP </c>. Unknown chunks (such as C2PA's <c>C2PA</c>) are skipped, as the specification asks.
/// Bytes after the RIFF (a size smaller than the file) are ignored, as libwebp ignores them.
/// </remarks>
internal static class WebpHeader
{
    private const int FileHeaderLength = 12;
    private const int ChunkHeaderLength = 8;
    private const byte AnimationFlag = 0x02;

    /// <summary>True when <paramref name="file"/> starts with <c>RIFF</c>, a size, and <c>WEBP</c>.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> file) =>
        file.Length >= FileHeaderLength && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WEBP"u8);

    /// <summary>The canvas size, after checking the container and the bitstream header.</summary>
    /// <exception cref="UnreadableImageException">Truncated, malformed, animated, or too large.</exception>
    public static ImageHeader Read(ReadOnlySpan<byte> file)
    {
        var riff = RiffBody(file);
        var first = NextChunk(riff, FileHeaderLength);
        var fourCc = riff.Slice(first.Start, 4);
        if (fourCc.SequenceEqual("VP8X"u8))
        {
            return ReadExtended(riff, first);
        }

        if (!IsBitstream(fourCc))
        {
            throw Corrupt($"its first chunk is '{Name(fourCc)}', not VP8, VP8L or VP8X");
        }

        var header = ReadBitstream(riff, first);
        for (var position = first.Next; position < riff.Length;)
        {
            var chunk = NextChunk(riff, position);
            var other = riff.Slice(chunk.Start, 4);
            if (IsBitstream(other) || other.SequenceEqual("VP8X"u8) || other.SequenceEqual("ANIM"u8) || other.SequenceEqual("ANMF"u8))
            {
                throw Corrupt($"its simple format holds a second image chunk ('{Name(other)}')");
            }

            position = chunk.Next;
        }

        return header;
    }

    // The file up to the end its RIFF header declares.
    private static ReadOnlySpan<byte> RiffBody(ReadOnlySpan<byte> file)
    {
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (declared < 4 || declared % 2 != 0)
        {
            throw Corrupt($"its RIFF header declares {declared} bytes, which no WebP file has (at least 4, and even)");
        }

        if (declared + 8L > file.Length)
        {
            throw new UnreadableImageException(
                UnreadableImageReason.Truncated,
                $"The WebP file is truncated (its RIFF header declares {declared + 8L:N0} bytes, the file has {file.Length:N0}).");
        }

        if (declared == 4)
        {
            throw new UnreadableImageException(UnreadableImageReason.Corrupt, "The WebP file is corrupt (its RIFF container holds no chunk).");
        }

        return file[..(int)(declared + 8)];
    }

    private static ImageHeader ReadExtended(ReadOnlySpan<byte> riff, Chunk vp8x)
    {
        if (vp8x.Length < 10)
        {
            throw Corrupt($"its VP8X chunk holds {vp8x.Length} bytes, 10 are needed");
        }

        var data = riff.Slice(vp8x.DataStart, 10);
        var canvasWidth = ReadUInt24(data[4..]) + 1L;
        var canvasHeight = ReadUInt24(data[7..]) + 1L;
        if ((data[0] & AnimationFlag) != 0)
        {
            throw Animated();
        }

        // A canvas beyond the limits is refused before anything else is looked at: no bitstream can make it acceptable.
        ImageHeader.RequireAcceptableSize(ImageFileFormat.Webp, canvasWidth, canvasHeight);
        ImageHeader? bitstream = null;
        for (var position = vp8x.Next; position < riff.Length;)
        {
            var chunk = NextChunk(riff, position);
            var fourCc = riff.Slice(chunk.Start, 4);
            if (fourCc.SequenceEqual("ANIM"u8) || fourCc.SequenceEqual("ANMF"u8))
            {
                throw Animated();
            }

            if (IsBitstream(fourCc))
            {
                if (bitstream is not null)
                {
                    throw Corrupt("it holds two image bitstreams");
                }

                bitstream = ReadBitstream(riff, chunk);
            }
            else if (fourCc.SequenceEqual("VP8X"u8))
            {
                throw Corrupt("it holds two VP8X headers");
            }

            position = chunk.Next;
        }

        if (bitstream is not { } image)
        {
            throw Corrupt("its extended format holds no VP8 or VP8L image data");
        }

        if (image.Width != canvasWidth || image.Height != canvasHeight)
        {
            throw Corrupt($"its VP8X header declares a {canvasWidth}×{canvasHeight} canvas, its image data is {image.Width}×{image.Height}");
        }

        return image;
    }

    // VP8 (RFC 6386, 9.1): a 3-byte frame tag (bit 0 clear on a key frame), the start code 9D 01 2A, then
    // 14-bit width and height, each with 2 scaling bits. VP8L: the signature 0x2F, then 14-bit width - 1,
    // 14-bit height - 1, an alpha hint and a 3-bit version that must be 0.
    private static ImageHeader ReadBitstream(ReadOnlySpan<byte> riff, Chunk chunk)
    {
        var data = riff.Slice(chunk.DataStart, chunk.Length);
        if (riff[chunk.Start + 3] == (byte)'L')
        {
            if (data.Length < 5)
            {
                throw Corrupt($"its VP8L chunk holds {data.Length} bytes, too few for a VP8L header");
            }

            if (data[0] != 0x2F)
            {
                throw Corrupt($"its VP8L data starts with 0x{data[0]:X2}, not the signature 0x2F");
            }

            var bits = BinaryPrimitives.ReadUInt32LittleEndian(data[1..]);
            if (bits >> 29 != 0)
            {
                throw Corrupt($"its VP8L version is {bits >> 29}, only 0 exists");
            }

            return new ImageHeader(ImageFileFormat.Webp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
        }

        if (data.Length < 10)
        {
            throw Corrupt($"its VP8 chunk holds {data.Length} bytes, too few for a VP8 frame header");
        }

        if ((data[0] & 0x01) != 0)
        {
            throw Corrupt("its VP8 data is not a key frame");
        }

        if (data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
        {
            throw Corrupt("its VP8 data lacks the start code 9D 01 2A");
        }

        return new ImageHeader(
            ImageFileFormat.Webp,
            BinaryPrimitives.ReadUInt16LittleEndian(data[6..]) & 0x3FFF,
            BinaryPrimitives.ReadUInt16LittleEndian(data[8..]) & 0x3FFF);
    }

    // The chunk at position, which must fit the RIFF with its padding byte.
    private static Chunk NextChunk(ReadOnlySpan<byte> riff, int position)
    {
        if (position + ChunkHeaderLength > riff.Length)
        {
            throw Corrupt($"a chunk header at offset {position} runs past the end of the RIFF container ({riff.Length} bytes)");
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(riff[(position + 4)..]);
        var next = position + (long)ChunkHeaderLength + length + (length & 1);
        if (next > riff.Length)
        {
            throw Corrupt(
                $"its '{Name(riff.Slice(position, 4))}' chunk at offset {position} declares {length:N0} bytes, running past the end of the RIFF container ({riff.Length:N0} bytes)");
        }

        return new Chunk(position, (int)length, (int)next);
    }

    private static bool IsBitstream(ReadOnlySpan<byte> fourCc) => fourCc.SequenceEqual("VP8 "u8) || fourCc.SequenceEqual("VP8L"u8);

    private static long ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | (bytes[1] << 8) | (bytes[2] << 16);

    private static UnreadableImageException Corrupt(string why) =>
        new(UnreadableImageReason.Corrupt, $"The WebP file is corrupt ({why}).");

    private static UnreadableImageException Animated() =>
        new(
            UnreadableImageReason.UnsupportedFormat,
            "Unsupported format: animated WebP; only still pictures are accepted (save one frame as PNG, JPEG or WebP).");

    // A FourCC for a message: printable ASCII as is, anything else in hex.
    private static string Name(ReadOnlySpan<byte> fourCc)
    {
        foreach (var b in fourCc)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return "0x" + Convert.ToHexString(fourCc);
            }
        }

        return System.Text.Encoding.ASCII.GetString(fourCc);
    }

    /// <summary>A chunk: where its FourCC starts, its data length (without padding), and where the next chunk starts.</summary>
    private readonly record struct Chunk(int Start, int Length, int Next)
    {
        public int DataStart => Start + ChunkHeaderLength;
    }
}
