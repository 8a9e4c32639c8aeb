using System.Formats.Asn1;
using System.Formats.Cbor;
using System.Security.Cryptography.Cose;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>Which C2PA time-stamp a claim signature carries.</summary>
public enum TimeStampVersion
{
    /// <summary>v1 (deprecated): header <c>sigTst</c>, a <c>TimeStampResp</c> over the claim.</summary>
    V1 = 1,

    /// <summary>v2: header <c>sigTst2</c>, a <c>TimeStampToken</c> over the claim signature's signature bytes.</summary>
    V2 = 2,
}

/// <summary>
/// The RFC 3161 time-stamp a claim signature carries in its unprotected header (<c>sigTst2</c> or
/// <c>sigTst</c>, each a <c>tstContainer</c>: <c>{ "tstTokens": [ { "val": bstr } ] }</c>), as read: nothing
/// here is verified (see <c>Validation.TimeStampValidator</c>).
/// </summary>
public sealed class ClaimTimeStamp
{
    /// <summary>The largest token read (64 KiB); a longer one is malformed.</summary>
    public const int MaxTokenBytes = 64 * 1024;

    /// <summary>The header label of v2 time-stamps.</summary>
    public const string V2Label = "sigTst2";

    /// <summary>The header label of v1 time-stamps.</summary>
    public const string V1Label = "sigTst";

    private ClaimTimeStamp(TimeStampVersion version, ReadOnlyMemory<byte> token, string? error)
    {
        Version = version;
        Token = token;
        Error = error;
    }

    /// <summary>v1 or v2, from the header the time-stamp was found under.</summary>
    public TimeStampVersion Version { get; }

    /// <summary>The header label it was found under.</summary>
    public string HeaderLabel => Version == TimeStampVersion.V2 ? V2Label : V1Label;

    /// <summary>The <c>TimeStampToken</c> (a CMS <c>ContentInfo</c>); for v1 taken out of its <c>TimeStampResp</c>. Empty when <see cref="Error"/> is set.</summary>
    public ReadOnlyMemory<byte> Token { get; }

    /// <summary>Why the header could not be read as one time-stamp token, or null.</summary>
    public string? Error { get; }

    /// <summary>
    /// The time-stamp of <paramref name="unprotectedHeaders"/>: <c>sigTst2</c> when present, else <c>sigTst</c>;
    /// null when neither is. Never throws: unreadable content gives a time-stamp with <see cref="Error"/>.
    /// </summary>
    public static ClaimTimeStamp? Read(CoseHeaderMap unprotectedHeaders)
    {
        ArgumentNullException.ThrowIfNull(unprotectedHeaders);
        foreach (var version in (ReadOnlySpan<TimeStampVersion>)[TimeStampVersion.V2, TimeStampVersion.V1])
        {
            if (unprotectedHeaders.TryGetValue(new CoseHeaderLabel(version == TimeStampVersion.V2 ? V2Label : V1Label), out var value))
            {
                return Read(version, value.EncodedValue);
            }
        }

        return null;
    }

    private static ClaimTimeStamp Read(TimeStampVersion version, ReadOnlyMemory<byte> container)
    {
        try
        {
            var value = SingleTokenValue(container);
            if (value.Length > MaxTokenBytes)
            {
                return Malformed(version, $"the time-stamp token takes {value.Length} bytes; at most {MaxTokenBytes} are read");
            }

            return new ClaimTimeStamp(version, TokenOf(value), null);
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or AsnContentException or FormatException or ArgumentException)
        {
            return Malformed(version, $"the {(version == TimeStampVersion.V2 ? V2Label : V1Label)} header is not a tstContainer holding one time-stamp: {e.Message}");
        }
    }

    private static ClaimTimeStamp Malformed(TimeStampVersion version, string error) => new(version, ReadOnlyMemory<byte>.Empty, error);

    /// <summary>The <c>val</c> of the one entry of <c>tstTokens</c> (C2PA allows one; the SDK reads one too).</summary>
    private static byte[] SingleTokenValue(ReadOnlyMemory<byte> container)
    {
        var reader = new CborReader(container, CborConformanceMode.Lax);
        var pairs = reader.ReadStartMap();
        byte[]? value = null;
        for (var i = 0; pairs is null ? reader.PeekState() != CborReaderState.EndMap : i < pairs; i++)
        {
            var key = reader.PeekState() == CborReaderState.TextString ? reader.ReadTextString() : null;
            if (key is null)
            {
                reader.SkipValue();
            }

            if (key != "tstTokens")
            {
                reader.SkipValue();
                continue;
            }

            var tokens = reader.ReadStartArray();
            if (tokens is 0 || (tokens is null && reader.PeekState() == CborReaderState.EndArray))
            {
                throw new FormatException("tstTokens is empty");
            }

            value = ReadVal(reader);
            if (reader.PeekState() != CborReaderState.EndArray)
            {
                throw new FormatException("tstTokens holds more than one token; C2PA allows one");
            }

            reader.ReadEndArray();
        }

        return value ?? throw new FormatException("the container has no tstTokens");
    }

    private static byte[] ReadVal(CborReader reader)
    {
        var fields = reader.ReadStartMap();
        byte[]? value = null;
        for (var i = 0; fields is null ? reader.PeekState() != CborReaderState.EndMap : i < fields; i++)
        {
            var key = reader.PeekState() == CborReaderState.TextString ? reader.ReadTextString() : null;
            if (key is null)
            {
                reader.SkipValue();
            }

            if (key == "val")
            {
                value = reader.ReadByteString();
            }
            else
            {
                reader.SkipValue();
            }
        }

        reader.ReadEndMap();
        return value ?? throw new FormatException("a tstTokens entry has no val");
    }

    /// <summary>
    /// The <c>TimeStampToken</c> in <paramref name="value"/>: a <c>TimeStampResp</c> (what v1 stores) whose
    /// status is granted, or the token itself (what v2 stores; some v1 writers store it too). A
    /// <c>ContentInfo</c> starts with an OID, a <c>TimeStampResp</c> with its <c>PKIStatusInfo</c> sequence.
    /// </summary>
    private static byte[] TokenOf(byte[] value)
    {
        var outer = new AsnReader(value, AsnEncodingRules.BER);
        var sequence = outer.ReadSequence();
        outer.ThrowIfNotEmpty();
        if (sequence.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
        {
            return value;
        }

        var status = sequence.ReadSequence();
        if (!status.TryReadInt32(out var granted) || granted is not (0 or 1))
        {
            throw new FormatException($"the TimeStampResp's status is {granted}, not granted");
        }

        if (!sequence.HasData)
        {
            throw new FormatException("the TimeStampResp holds no timeStampToken");
        }

        var token = sequence.ReadEncodedValue().ToArray();
        sequence.ThrowIfNotEmpty();
        return token;
    }
}
