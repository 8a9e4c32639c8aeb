using System.Buffers.Binary;

namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>Encodes JUMBF boxes: 32-bit LBox sizes, the 64-bit XLBox only for boxes over 4 GiB.</summary>
public static class JumbfWriter
{
    /// <summary>The bytes of <paramref name="box"/>, header included.</summary>
    /// <exception cref="InvalidOperationException">When the box would be larger than an array can hold.</exception>
    public static byte[] Write(JumbfBox box)
    {
        ArgumentNullException.ThrowIfNull(box);
        var payloadLength = box.PayloadLength;
        var total = payloadLength + 8;
        if (total > Array.MaxLength)
        {
            throw new InvalidOperationException($"A JUMBF box of {total} bytes is larger than this writer produces.");
        }

        using var stream = new MemoryStream((int)total);
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], box.Type);
        stream.Write(header);
        box.WritePayload(stream);
        if (stream.Length != total)
        {
            throw new InvalidOperationException($"The {box.TypeName} box wrote {stream.Length} bytes, not the {total} it announced.");
        }

        return stream.ToArray();
    }

    /// <summary>The header length of a box of <paramref name="totalLength"/> bytes as this writer encodes it.</summary>
    internal static int HeaderLength(long totalLength) => totalLength <= uint.MaxValue ? 8 : 16;
}
