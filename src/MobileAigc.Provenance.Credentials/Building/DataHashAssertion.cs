using System.Formats.Cbor;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes <c>c2pa.hash.data</c>: SHA-256 over the file with one exclusion, the embedded manifest store
/// (the PNG chunk or the JPEG APP11 segments, headers included), and a zero-filled <c>pad</c> that
/// lets the store reach the size the exclusion announces.
/// </summary>
internal static class DataHashAssertion
{
    public const string ExclusionName = "jumbf manifest";

    public static byte[] Encode(long start, long length, ReadOnlySpan<byte> hash, int padLength)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(5);
        writer.WriteTextString("exclusions");
        writer.WriteStartArray(1);
        writer.WriteStartMap(2);
        writer.WriteTextString("start");
        writer.WriteInt64(start);
        writer.WriteTextString("length");
        writer.WriteInt64(length);
        writer.WriteEndMap();
        writer.WriteEndArray();
        writer.WriteTextString("name");
        writer.WriteTextString(ExclusionName);
        writer.WriteTextString("alg");
        writer.WriteTextString("sha256");
        writer.WriteTextString("hash");
        writer.WriteByteString(hash);
        writer.WriteTextString("pad");
        writer.WriteByteString(new byte[padLength]);
        writer.WriteEndMap();
        return writer.Encode();
    }
}
