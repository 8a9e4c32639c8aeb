using System.Buffers.Binary;
using System.Text;

namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// The <c>jumd</c> box that opens every superbox: the content type UUID, the toggles, and the
/// optional label, id, SHA-256 signature and private box.
/// </summary>
public sealed class JumbfDescriptionBox : JumbfBox
{
    private const byte RequestableFlag = 0x01;
    private const byte LabelFlag = 0x02;
    private const byte IdFlag = 0x04;
    private const byte SignatureFlag = 0x08;
    private const byte PrivateFlag = 0x10;

    /// <summary>Creates a description box.</summary>
    /// <param name="contentType">The content type UUID (see <see cref="C2paContentTypes"/>).</param>
    /// <param name="label">The label, or null; C2PA labels are requestable.</param>
    /// <param name="id">The optional 32-bit id.</param>
    /// <param name="signature">The optional 32-byte SHA-256 of the superbox's content.</param>
    /// <param name="privateBox">The optional private box.</param>
    /// <exception cref="ArgumentException">When the label holds a NUL or the signature is not 32 bytes.</exception>
    public JumbfDescriptionBox(Guid contentType, string? label, uint? id = null, ReadOnlyMemory<byte>? signature = null, JumbfDataBox? privateBox = null)
        : base(JumbfBoxTypes.Description)
    {
        if (label is not null && label.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A JUMBF label cannot hold a NUL character.", nameof(label));
        }

        if (signature is { Length: not 32 })
        {
            throw new ArgumentException("A JUMBF description signature is 32 bytes.", nameof(signature));
        }

        ContentType = contentType;
        Label = label;
        Id = id;
        Signature = signature;
        PrivateBox = privateBox;
        Toggles = (byte)((label is null ? 0 : RequestableFlag | LabelFlag) | (id is null ? 0 : IdFlag)
            | (signature is null ? 0 : SignatureFlag) | (privateBox is null ? 0 : PrivateFlag));
    }

    private JumbfDescriptionBox(Guid contentType, byte toggles, string? label, uint? id, ReadOnlyMemory<byte>? signature, JumbfDataBox? privateBox)
        : base(JumbfBoxTypes.Description)
    {
        ContentType = contentType;
        Toggles = toggles;
        Label = label;
        Id = id;
        Signature = signature;
        PrivateBox = privateBox;
    }

    /// <summary>The content type UUID of the superbox.</summary>
    public Guid ContentType { get; }

    /// <summary>The toggles byte as stored.</summary>
    public byte Toggles { get; }

    /// <summary>True when the superbox may be requested by its label.</summary>
    public bool Requestable => (Toggles & RequestableFlag) != 0;

    /// <summary>The label, or null.</summary>
    public string? Label { get; }

    /// <summary>The id, or null.</summary>
    public uint? Id { get; }

    /// <summary>The 32-byte signature (hash) field, or null.</summary>
    public ReadOnlyMemory<byte>? Signature { get; }

    /// <summary>The private box, or null.</summary>
    public JumbfDataBox? PrivateBox { get; }

    /// <inheritdoc />
    internal override long PayloadLength =>
        17 + (Label is null ? 0 : Encoding.UTF8.GetByteCount(Label) + 1) + (Id is null ? 0 : 4)
        + (Signature is null ? 0 : 32) + (PrivateBox is null ? 0 : PrivateBox.Encoded.Length);

    /// <inheritdoc />
    internal override void WritePayload(Stream destination)
    {
        Span<byte> fixedPart = stackalloc byte[17];
        ContentType.TryWriteBytes(fixedPart, bigEndian: true, out _);
        fixedPart[16] = Toggles;
        destination.Write(fixedPart);
        if (Label is not null)
        {
            destination.Write(Encoding.UTF8.GetBytes(Label));
            destination.WriteByte(0);
        }

        if (Id is { } id)
        {
            Span<byte> idBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(idBytes, id);
            destination.Write(idBytes);
        }

        if (Signature is { } signature)
        {
            destination.Write(signature.Span);
        }

        if (PrivateBox is not null)
        {
            destination.Write(PrivateBox.Encoded.Span);
        }
    }

    /// <summary>Parses a description payload; <paramref name="readPrivateBox"/> reads the trailing private box.</summary>
    internal static JumbfDescriptionBox Parse(ReadOnlyMemory<byte> payload, Func<ReadOnlyMemory<byte>, JumbfDataBox> readPrivateBox)
    {
        var span = payload.Span;
        if (span.Length < 17)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, $"a jumd box of {span.Length} bytes is shorter than its 17-byte type and toggles");
        }

        var contentType = new Guid(span[..16], bigEndian: true);
        var toggles = span[16];
        var position = 17;
        string? label = null;
        if ((toggles & LabelFlag) != 0)
        {
            var end = span[position..].IndexOf((byte)0);
            if (end < 0)
            {
                throw new JumbfException(JumbfErrorReason.Malformed, "a jumd label has no NUL terminator");
            }

            try
            {
                label = new UTF8Encoding(false, true).GetString(span.Slice(position, end));
            }
            catch (DecoderFallbackException e)
            {
                throw new JumbfException(JumbfErrorReason.Malformed, "a jumd label is not UTF-8", e);
            }

            position += end + 1;
        }

        uint? id = null;
        if ((toggles & IdFlag) != 0)
        {
            RequireBytes(span, position, 4, "id");
            id = BinaryPrimitives.ReadUInt32BigEndian(span[position..]);
            position += 4;
        }

        ReadOnlyMemory<byte>? signature = null;
        if ((toggles & SignatureFlag) != 0)
        {
            RequireBytes(span, position, 32, "signature");
            signature = payload.Slice(position, 32);
            position += 32;
        }

        JumbfDataBox? privateBox = null;
        if ((toggles & PrivateFlag) != 0)
        {
            privateBox = readPrivateBox(payload[position..]);
            position = payload.Length;
        }

        if (position != span.Length)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, $"a jumd box has {span.Length - position} bytes its toggles do not announce");
        }

        return new JumbfDescriptionBox(contentType, toggles, label, id, signature, privateBox);
    }

    private static void RequireBytes(ReadOnlySpan<byte> span, int position, int count, string field)
    {
        if (span.Length - position < count)
        {
            throw new JumbfException(JumbfErrorReason.Truncated, $"a jumd box ends inside its {field}");
        }
    }
}
