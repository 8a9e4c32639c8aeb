using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Inspection;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>
/// The full check of a manifest store sent with a record: the store validates (claim signature, certificate
/// profile and chain, hashed URIs; an untrusted signer is allowed, the ledger keeps no trust list for
/// ingest), its active manifest is the record's label, its record assertion names the record digest, its
/// <c>c2pa.hash.data</c> hash is the record's content hash (SHA-256 of the asset without the store), and its
/// signing certificate is bound to the record's node by the node key (<see cref="ManifestNodeBinding"/>).
/// </summary>
/// <remarks>
/// Stateless and thread-safe. The registered <see cref="IManifestStoreCheck"/> (<see cref="ManifestStoreServiceCollectionExtensions.AddManifestStores"/>).
/// </remarks>
/// <param name="validator">Validates the store (its trust list does not matter here).</param>
/// <param name="registryDomain">The <c>ModelRegistry</c> domain the certificate binding must be signed in.</param>
public sealed class RecordManifestStoreCheck(ManifestValidator validator, ContractDomain registryDomain) : IManifestStoreCheck
{
    /// <inheritdoc />
    public string? Refuse(ReadOnlyMemory<byte> store, SignedProvenanceRecord signed, Bytes32 recordDigest)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ManifestStore read;
        try
        {
            read = ManifestStoreReader.Read(store);
        }
        catch (JumbfException e)
        {
            return $"The manifest store sent with the record {recordDigest} is not a C2PA manifest store: {e.Message}.";
        }

        var active = read.ActiveManifest;
        if (active is null || !RecordManifestLabel.Names(active.Label, recordDigest))
        {
            return $"The manifest store's active manifest is '{active?.Label}', not the record's manifest {RecordManifestLabel.For(recordDigest)}.";
        }

        var failures = validator.Validate(read, file: null).ActiveManifest!.Failure
            .Where(status => status.Code != ValidationStatusCodes.SigningCredentialUntrusted)
            .Select(status => status.Code)
            .ToList();
        if (failures.Count > 0)
        {
            return $"The manifest store does not validate: {string.Join(", ", failures)}.";
        }

        RecordAssertionContent? content;
        try
        {
            content = RecordAssertionContent.Read(active);
        }
        catch (FormatException e)
        {
            return e.Message;
        }

        if (content is null || content.RecordDigest != recordDigest)
        {
            return content is null
                ? $"The manifest names no record: it has no {AssertionLabels.ProvenanceRecord} assertion."
                : $"The manifest's {AssertionLabels.ProvenanceRecord} assertion names record {content.RecordDigest}, not {recordDigest}.";
        }

        if (DataHash(active) is not { } dataHash || dataHash != signed.Record.ContentHash)
        {
            return $"The manifest's {AssertionLabels.DataHash} hash is not the record's content hash {signed.Record.ContentHash}.";
        }

        if (active.Signature?.Signer is not { } signer)
        {
            return "The manifest's claim signature carries no signing certificate.";
        }

        try
        {
            var node = ManifestNodeBinding.Verify(signer, content, registryDomain);
            return node == signed.Record.Node ? null : $"The signing certificate is bound to node {node}, not to the record's node {signed.Record.Node}.";
        }
        catch (InvalidCertificateBindingException e)
        {
            return "The signing certificate is not bound to the record's node: " + e.Message;
        }
    }

    private static Bytes32? DataHash(Manifest manifest)
    {
        if (manifest.FindAssertion(AssertionLabels.DataHash)?.Content is not JsonObject content
            || content["hash"] is not JsonValue value || !value.TryGetValue<string>(out var base64))
        {
            return null;
        }

        var algorithm = content["alg"] is JsonValue alg && alg.TryGetValue<string>(out var name) ? name : manifest.Claim?.Algorithm;
        if (algorithm is not null && algorithm != "sha256")
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(base64);
            return bytes.Length == 32 ? Bytes32.FromBytes(bytes) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
