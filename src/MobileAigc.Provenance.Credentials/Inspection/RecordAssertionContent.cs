using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Inspection;

/// <summary>
/// What a manifest's <c>org.mobileaigc.provenance-record</c> assertion says: the record it names and the
/// node that claims it. A claim of the manifest's signer, to be checked against the ledger's record and the
/// certificate binding; never proof on its own.
/// </summary>
/// <param name="RecordDigest">The record digest the assertion names.</param>
/// <param name="NodeAddress">The node address it names.</param>
/// <param name="LedgerUrl">The ledger URL it names (as written; not followed), or null when it names none (a node that delivers to no ledger leaves it out).</param>
/// <param name="ContentHash">The content hash it names (SHA-256 of the asset without its manifest store).</param>
/// <param name="CertificateSha256">The certificate hash of the node key's binding, or null when the assertion carries none.</param>
/// <param name="NodeSignature">The node key's signature of the binding, or null.</param>
public sealed record RecordAssertionContent(
    Bytes32 RecordDigest, EvmAddress NodeAddress, string? LedgerUrl, Bytes32 ContentHash, Bytes32? CertificateSha256, EcdsaSignature? NodeSignature)
{
    /// <summary>
    /// Reads the assertion of <paramref name="manifest"/>; null when the manifest has none.
    /// </summary>
    /// <exception cref="FormatException">When the assertion is there but a field is missing or malformed; the message names it.</exception>
    public static RecordAssertionContent? Read(Manifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var assertion = manifest.FindAssertion(AssertionLabels.ProvenanceRecord);
        if (assertion is null)
        {
            return null;
        }

        if (assertion.Content is not JsonObject content)
        {
            throw new FormatException($"The {AssertionLabels.ProvenanceRecord} assertion is not a CBOR map{(assertion.Error is null ? "" : ": " + assertion.Error)}.");
        }

        var binding = content["certificateBinding"] as JsonObject;
        try
        {
            return new RecordAssertionContent(
            Bytes32.FromBytes(Base64(content, "recordDigest", 32)),
            EvmAddress.Parse(Text(content, "nodeAddress")),
            OptionalText(content, "ledgerUrl"),
            Bytes32.FromBytes(Base64(content, "contentHash", 32)),
            binding is null ? null : Bytes32.FromBytes(Base64(binding, "certificateSha256", 32)),
                binding is null ? null : EcdsaSignature.FromBytes(Base64(binding, "nodeSignature", 65)));
        }
        catch (Exception e) when (e is ArgumentException or InvalidSignatureException)
        {
            throw new FormatException($"The {AssertionLabels.ProvenanceRecord} assertion is malformed: {e.Message}", e);
        }
    }

    private static string Text(JsonObject content, string field) =>
        JsonText.String(content[field]) ?? throw new FormatException($"The {AssertionLabels.ProvenanceRecord} assertion has no text '{field}'.");

    // Absent is allowed; present, it must be text.
    private static string? OptionalText(JsonObject content, string field) =>
        content.ContainsKey(field) ? Text(content, field) : null;

    private static byte[] Base64(JsonObject content, string field, int length)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(Text(content, field));
        }
        catch (FormatException)
        {
            throw new FormatException($"The {AssertionLabels.ProvenanceRecord} assertion's '{field}' is not a byte string.");
        }

        return bytes.Length == length
            ? bytes
            : throw new FormatException($"The {AssertionLabels.ProvenanceRecord} assertion's '{field}' has {bytes.Length} bytes, not {length}.");
    }
}
