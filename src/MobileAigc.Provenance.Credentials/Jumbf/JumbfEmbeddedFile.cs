using System.Text;

namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// An ISO 19566-5 embedded file (a <c>bfdb</c> description then a <c>bidb</c> data box), as C2PA
/// stores thumbnails.
/// </summary>
/// <param name="MediaType">The file's media type, e.g. <c>image/jpeg</c>.</param>
/// <param name="FileName">The optional file name.</param>
/// <param name="Data">The file's bytes.</param>
public sealed record JumbfEmbeddedFile(string MediaType, string? FileName, ReadOnlyMemory<byte> Data)
{
    private const byte FileNameFlag = 0x01;

    /// <summary>The <c>bfdb</c> and <c>bidb</c> boxes of this file.</summary>
    public IReadOnlyList<JumbfBox> ToBoxes()
    {
        using var description = new MemoryStream();
        description.WriteByte(FileName is null ? (byte)0 : FileNameFlag);
        description.Write(Encoding.UTF8.GetBytes(MediaType));
        description.WriteByte(0);
        if (FileName is not null)
        {
            description.Write(Encoding.UTF8.GetBytes(FileName));
            description.WriteByte(0);
        }

        return [new JumbfDataBox(JumbfBoxTypes.EmbeddedFileDescription, description.ToArray()), JumbfDataBox.BinaryData(Data)];
    }

    /// <summary>Reads the embedded file of <paramref name="superBox"/>, or null when it has no <c>bidb</c> box.</summary>
    /// <exception cref="JumbfException">When its <c>bfdb</c> box is malformed.</exception>
    public static JumbfEmbeddedFile? From(JumbfSuperBox superBox)
    {
        ArgumentNullException.ThrowIfNull(superBox);
        var data = superBox.FindData(JumbfBoxTypes.BinaryData);
        if (data is null)
        {
            return null;
        }

        var description = superBox.FindData(JumbfBoxTypes.EmbeddedFileDescription);
        if (description is null)
        {
            return new JumbfEmbeddedFile("application/octet-stream", null, data.Payload);
        }

        var span = description.Payload.Span;
        if (span.Length < 2)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, "a bfdb box is shorter than its toggles and media type");
        }

        var strings = ReadStrings(span[1..]);
        var hasName = (span[0] & FileNameFlag) != 0;
        if (strings.Count < (hasName ? 2 : 1))
        {
            throw new JumbfException(JumbfErrorReason.Malformed, "a bfdb box lacks a NUL-terminated media type or file name");
        }

        return new JumbfEmbeddedFile(strings[0], hasName ? strings[1] : null, data.Payload);
    }

    private static List<string> ReadStrings(ReadOnlySpan<byte> span)
    {
        var strings = new List<string>();
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)0);
            if (end < 0)
            {
                break;
            }

            strings.Add(Encoding.UTF8.GetString(span[..end]));
            span = span[(end + 1)..];
        }

        return strings;
    }
}
