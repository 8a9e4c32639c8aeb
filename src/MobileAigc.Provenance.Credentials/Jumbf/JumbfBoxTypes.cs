using System.Buffers.Binary;
using System.Text;

namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>The four-character box types (TBox) of ISO 19566-5 and C2PA, as big-endian integers.</summary>
public static class JumbfBoxTypes
{
    /// <summary><c>jumb</c>: a JUMBF superbox.</summary>
    public static readonly uint Superbox = FromFourCc("jumb");

    /// <summary><c>jumd</c>: the description box, first child of every superbox.</summary>
    public static readonly uint Description = FromFourCc("jumd");

    /// <summary><c>cbor</c>: CBOR content.</summary>
    public static readonly uint Cbor = FromFourCc("cbor");

    /// <summary><c>json</c>: JSON content.</summary>
    public static readonly uint Json = FromFourCc("json");

    /// <summary><c>bfdb</c>: embedded file description (toggles, media type, optional file name).</summary>
    public static readonly uint EmbeddedFileDescription = FromFourCc("bfdb");

    /// <summary><c>bidb</c>: embedded file bytes.</summary>
    public static readonly uint BinaryData = FromFourCc("bidb");

    /// <summary><c>uuid</c>: a 16-byte UUID then data.</summary>
    public static readonly uint Uuid = FromFourCc("uuid");

    /// <summary><c>c2sh</c>: the salt of a C2PA assertion.</summary>
    public static readonly uint Salt = FromFourCc("c2sh");

    /// <summary>The integer of a four-character code.</summary>
    /// <exception cref="ArgumentException">When <paramref name="fourCc"/> is not four ASCII characters.</exception>
    public static uint FromFourCc(string fourCc)
    {
        ArgumentNullException.ThrowIfNull(fourCc);
        if (fourCc.Length != 4 || !Ascii.IsValid(fourCc))
        {
            throw new ArgumentException("A box type is four ASCII characters.", nameof(fourCc));
        }

        Span<byte> bytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(fourCc, bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>The four-character code of <paramref name="type"/>, non-printable bytes as <c>?</c>.</summary>
    public static string ToFourCc(uint type)
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            var b = (byte)(type >> (24 - (8 * i)));
            chars[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }

        return new string(chars);
    }
}
