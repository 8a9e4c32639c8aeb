using System.Formats.Cbor;
using System.Security.Cryptography.Cose;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// The bytes a C2PA time-stamp's message imprint is the digest of: the COSE <c>ToBeSigned</c> of a
/// <c>CounterSignature</c> (RFC 8152 §4.4), <c>["CounterSignature", protected, h'', payload]</c>, with the
/// claim signature's protected header as stored and, as payload, the claim (v1) or the CBOR byte string
/// of the claim signature's <c>signature</c> field (v2, so the time-stamp covers the finished
/// signature: the reference implementation encodes it as CBOR before it goes in the structure).
/// </summary>
internal static class TimeStampImprint
{
    public static byte[] ToBeStamped(TimeStampVersion version, CoseSign1Message signature, ReadOnlySpan<byte> claim)
    {
        ArgumentNullException.ThrowIfNull(signature);
        byte[] payload;
        if (version == TimeStampVersion.V1)
        {
            payload = claim.ToArray();
        }
        else
        {
            var inner = new CborWriter();
            inner.WriteByteString(signature.Signature.Span);
            payload = inner.Encode();
        }

        var writer = new CborWriter();
        writer.WriteStartArray(4);
        writer.WriteTextString("CounterSignature");
        writer.WriteByteString(signature.RawProtectedHeaders.Span);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }
}
