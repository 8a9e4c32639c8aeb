using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Watermarking.Enrollment;

/// <summary>
/// A watermark key with its node's signed enrollment: what a node operator hands to a verifier (the
/// ledger service) that is to trace the node's watermarks in edited content. The file holds the key
/// itself: whoever holds it can read the node's marks and also place them, so it is a secret shared
/// with that verifier's operator (see docs/security.md, "Watermark keys").
/// </summary>
/// <param name="Key">The watermark key.</param>
/// <param name="Enrollment">The node, the key's fingerprint and the enrollment time.</param>
/// <param name="Domain">The <c>ProvenanceLedger</c> domain the enrollment was signed in.</param>
/// <param name="Signature">The node key's EIP-712 signature of <paramref name="Enrollment"/> in <paramref name="Domain"/>.</param>
public sealed record EnrolledWatermarkKey(WatermarkKey Key, WatermarkKeyEnrollment Enrollment, ContractDomain Domain, EcdsaSignature Signature)
{
    /// <summary>Enrolls <paramref name="key"/> for the node whose signing key is <paramref name="nodeKey"/>.</summary>
    public static EnrolledWatermarkKey Create(WatermarkKey key, EthECKey nodeKey, ContractDomain domain, DateTimeOffset enrolledAt)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nodeKey);
        var enrollment = new WatermarkKeyEnrollment(
            EvmAddress.Parse(nodeKey.GetPublicAddress()), WatermarkIds.ForEnrollment(key), (ulong)enrolledAt.ToUnixTimeSeconds());
        return new(key, enrollment, domain, WatermarkKeyEnrollmentTypedData.Sign(enrollment, domain, nodeKey));
    }

    /// <summary>
    /// Checks the enrollment for a verifier of <paramref name="expectedDomain"/>: signed in that domain,
    /// by the node it names, for this very key.
    /// </summary>
    /// <returns>The node the key belongs to.</returns>
    /// <exception cref="InvalidWatermarkEnrollmentException">When any of these fails; the message never quotes the key.</exception>
    public EvmAddress VerifyFor(ContractDomain expectedDomain)
    {
        ArgumentNullException.ThrowIfNull(expectedDomain);
        if (Domain != expectedDomain)
        {
            throw new InvalidWatermarkEnrollmentException(
                $"the enrollment was signed for chain {Domain.ChainId} and ledger {Domain.VerifyingContract}, not chain {expectedDomain.ChainId} and ledger {expectedDomain.VerifyingContract}");
        }

        if (WatermarkIds.ForEnrollment(Key) != Enrollment.KeyId)
        {
            throw new InvalidWatermarkEnrollmentException($"the enrollment names key {Enrollment.KeyId}, not the key in the file");
        }

        var signer = WatermarkKeyEnrollmentTypedData.RecoverSigner(Enrollment, Domain, Signature);
        if (signer != Enrollment.Node)
        {
            throw new InvalidWatermarkEnrollmentException($"the enrollment names node {Enrollment.Node} but was signed by {signer}");
        }

        return Enrollment.Node;
    }

    /// <summary>The file's JSON, UTF-8.</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(
        new FileContent(
            Enrollment.Node.ToString(), Enrollment.KeyId.ToString(), Enrollment.EnrolledAt,
            Domain.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture), Domain.VerifyingContract.ToString(),
            Signature.ToString(), Key.ToHex()),
        FileJson.Default.FileContent);

    /// <summary>Reads the file's JSON (as <see cref="ToJsonBytes"/> writes it).</summary>
    /// <exception cref="InvalidWatermarkEnrollmentException">When it is not an enrollment file; the message never quotes the key.</exception>
    public static EnrolledWatermarkKey Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var content = JsonSerializer.Deserialize(json, FileJson.Default.FileContent)
                ?? throw new InvalidWatermarkEnrollmentException("the file holds no enrollment");
            var domain = ContractDomain.ForProvenanceLedger(
                BigInteger.Parse(content.ChainId, System.Globalization.CultureInfo.InvariantCulture), EvmAddress.Parse(content.VerifyingContract));
            return new(
                WatermarkKey.Parse(content.Key),
                new WatermarkKeyEnrollment(EvmAddress.Parse(content.Node), Bytes32.Parse(content.KeyId), content.EnrolledAt),
                domain,
                EcdsaSignature.Parse(content.Signature));
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidSignatureException)
        {
            // The parsers' messages never quote a key; ours names only what is wrong.
            throw new InvalidWatermarkEnrollmentException($"not a watermark key enrollment: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The enrollment file, field by field, all required (the chain id as a decimal string: it may exceed a JSON number).</summary>
    internal sealed record FileContent(
        [property: JsonRequired] string Node,
        [property: JsonRequired] string KeyId,
        [property: JsonRequired] ulong EnrolledAt,
        [property: JsonRequired] string ChainId,
        [property: JsonRequired] string VerifyingContract,
        [property: JsonRequired] string Signature,
        [property: JsonRequired] string Key);
}

/// <summary>Source-generated JSON of the enrollment file (camelCase, indented for people).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(EnrolledWatermarkKey.FileContent))]
internal sealed partial class FileJson : JsonSerializerContext;

/// <summary>A watermark key enrollment that is malformed, or does not hold for this verifier.</summary>
/// <param name="message">What is wrong (never the key).</param>
public sealed class InvalidWatermarkEnrollmentException(string message) : Exception(message);
