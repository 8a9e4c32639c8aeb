namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// One ISO BMFF-style box of a JUMBF structure. A box read from bytes keeps those bytes exactly
/// (<see cref="Encoded"/>), so that hashes over stored boxes are computed over what was stored; a box
/// built in code is encoded by <see cref="JumbfWriter"/> the first time its bytes are asked for.
/// </summary>
/// <remarks>Boxes are immutable and safe to share between threads.</remarks>
public abstract class JumbfBox
{
    private ReadOnlyMemory<byte>? _encoded;
    private int _headerLength;

    /// <summary>Creates a box of <paramref name="type"/>.</summary>
    protected JumbfBox(uint type) => Type = type;

    /// <summary>The box type (TBox), e.g. <see cref="JumbfBoxTypes.Cbor"/>.</summary>
    public uint Type { get; }

    /// <summary>The box type as its four characters.</summary>
    public string TypeName => JumbfBoxTypes.ToFourCc(Type);

    /// <summary>The whole box: LBox, TBox, the XLBox when present, then the payload.</summary>
    public ReadOnlyMemory<byte> Encoded
    {
        get
        {
            if (_encoded is null)
            {
                var bytes = JumbfWriter.Write(this);
                _headerLength = JumbfWriter.HeaderLength(bytes.Length);
                _encoded = bytes;
            }

            return _encoded.Value;
        }
    }

    /// <summary>
    /// The box without its LBox/TBox(/XLBox) header. For a superbox that is its description box and
    /// content boxes: what a C2PA hashed URI to the box covers.
    /// </summary>
    public ReadOnlyMemory<byte> EncodedPayload => Encoded[HeaderLength..];

    private int HeaderLength
    {
        get
        {
            _ = Encoded;
            return _headerLength;
        }
    }

    /// <summary>Records the bytes a box was read from.</summary>
    internal void SetEncoded(ReadOnlyMemory<byte> encoded, int headerLength)
    {
        _encoded = encoded;
        _headerLength = headerLength;
    }

    /// <summary>The payload length of this box once encoded (without the header).</summary>
    internal abstract long PayloadLength { get; }

    /// <summary>Writes the payload of this box (without the header).</summary>
    internal abstract void WritePayload(Stream destination);
}

/// <summary>A box holding bytes: <c>cbor</c>, <c>json</c>, <c>bidb</c>, <c>bfdb</c>, <c>uuid</c>, <c>c2sh</c> or any other non-superbox.</summary>
public sealed class JumbfDataBox : JumbfBox
{
    /// <summary>Creates a data box of <paramref name="type"/> holding <paramref name="payload"/>.</summary>
    public JumbfDataBox(uint type, ReadOnlyMemory<byte> payload)
        : base(type)
    {
        if (type == JumbfBoxTypes.Superbox || type == JumbfBoxTypes.Description)
        {
            throw new ArgumentException("A data box cannot be a jumb or jumd box.", nameof(type));
        }

        Payload = payload;
    }

    /// <summary>The bytes after the header.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>A <c>cbor</c> box.</summary>
    public static JumbfDataBox Cbor(ReadOnlyMemory<byte> cbor) => new(JumbfBoxTypes.Cbor, cbor);

    /// <summary>A <c>json</c> box.</summary>
    public static JumbfDataBox Json(ReadOnlyMemory<byte> utf8Json) => new(JumbfBoxTypes.Json, utf8Json);

    /// <summary>A <c>c2sh</c> salt box.</summary>
    public static JumbfDataBox Salt(ReadOnlyMemory<byte> salt) => new(JumbfBoxTypes.Salt, salt);

    /// <summary>A <c>bidb</c> box holding an embedded file's bytes.</summary>
    public static JumbfDataBox BinaryData(ReadOnlyMemory<byte> data) => new(JumbfBoxTypes.BinaryData, data);

    /// <inheritdoc />
    internal override long PayloadLength => Payload.Length;

    /// <inheritdoc />
    internal override void WritePayload(Stream destination) => destination.Write(Payload.Span);
}
