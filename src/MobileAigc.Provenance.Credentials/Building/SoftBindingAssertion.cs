using System.Formats.Cbor;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes <c>c2pa.soft-binding</c>: the algorithm, one block whose empty scope covers the whole image,
/// and the value in the algorithm's own format (base64 of the binding's bytes, as the specification's
/// <c>tstr</c> value wants), with the mandatory empty <c>pad</c>.
/// </summary>
internal static class SoftBindingAssertion
{
    /// <summary>This project's image watermark (8-byte payload).</summary>
    public const string ImageWatermarkAlgorithm = "org.mobileaigc.watermark.image.1";

    /// <summary>This project's perceptual hash (32 bytes).</summary>
    public const string PerceptualHashAlgorithm = "org.mobileaigc.phash.1";

    public static byte[] Encode(string algorithm, ReadOnlySpan<byte> value)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartMap(3);
        writer.WriteTextString("alg");
        writer.WriteTextString(algorithm);
        writer.WriteTextString("blocks");
        writer.WriteStartArray(1);
        writer.WriteStartMap(2);
        writer.WriteTextString("scope");
        writer.WriteStartMap(0);
        writer.WriteEndMap();
        writer.WriteTextString("value");
        writer.WriteTextString(Convert.ToBase64String(value));
        writer.WriteEndMap();
        writer.WriteEndArray();
        writer.WriteTextString("pad");
        writer.WriteByteString([]);
        writer.WriteEndMap();
        return writer.Encode();
    }
}
