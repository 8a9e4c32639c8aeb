using System.Buffers.Binary;
using System.Text;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes the few JUMBF box shapes a manifest store is made of (ISO/IEC 19566-5): superboxes with
/// a labelled description box, CBOR content boxes and embedded-file boxes.
/// </summary>
internal static class JumbfComposition
{
    /// <summary>The C2PA content types (ISO/IEC 19566-5 UUIDs: a four-character code, then 0011-0010-8000-00AA00389B71).</summary>
    public static readonly Guid ManifestStoreType = C2paType("c2pa");
    public static readonly Guid ManifestType = C2paType("c2ma");
    public static readonly Guid AssertionStoreType = C2paType("c2as");
    public static readonly Guid ClaimType = C2paType("c2cl");
    public static readonly Guid SignatureType = C2paType("c2cs");
    public static readonly Guid CborType = C2paType("cbor");
    public static readonly Guid EmbeddedFileType = new("40CB0C32-BB8A-489D-A70B-2AD6F47F4369");

    private const byte RequestableWithLabel = 0x03;
    private const int HeaderLength = 8;

    /// <summary>A <c>jumb</c> superbox of content type <paramref name="contentType"/> labelled <paramref name="label"/>.</summary>
    public static byte[] Superbox(Guid contentType, string label, params IReadOnlyList<byte[]> children)
    {
        var labelBytes = Encoding.UTF8.GetBytes(label);
        var description = new byte[16 + 1 + labelBytes.Length + 1];
        contentType.TryWriteBytes(description, bigEndian: true, out _);
        description[16] = RequestableWithLabel;
        labelBytes.CopyTo(description, 17);

        var parts = new List<byte[]>(children.Count + 1) { Box("jumd", description) };
        parts.AddRange(children);
        return Box("jumb", Concat(parts));
    }

    /// <summary>A content box of type <paramref name="fourCc"/> around <paramref name="payload"/>.</summary>
    public static byte[] Box(string fourCc, ReadOnlySpan<byte> payload)
    {
        var length = checked(HeaderLength + payload.Length);
        var box = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)length);
        Encoding.ASCII.GetBytes(fourCc, box.AsSpan(4, 4));
        payload.CopyTo(box.AsSpan(HeaderLength));
        return box;
    }

    /// <summary>The embedded-file description box (<c>bfdb</c>): the media type, no file name.</summary>
    public static byte[] EmbeddedFileDescription(string mediaType)
    {
        var type = Encoding.UTF8.GetBytes(mediaType);
        var payload = new byte[1 + type.Length + 1];
        type.CopyTo(payload, 1);
        return Box("bfdb", payload);
    }

    /// <summary>The superbox's payload: what a C2PA hashed URI's hash covers (the box less its header).</summary>
    public static ReadOnlySpan<byte> Payload(byte[] box) => box.AsSpan(HeaderLength);

    private static Guid C2paType(string fourCc) =>
        new($"{Convert.ToHexString(Encoding.ASCII.GetBytes(fourCc))}-0011-0010-8000-00AA00389B71");

    private static byte[] Concat(List<byte[]> parts)
    {
        var result = new byte[parts.Sum(part => (long)part.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
