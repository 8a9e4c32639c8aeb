using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Inspection;

/// <summary>
/// Reads and validates the Content Credentials of a PNG, JPEG or WebP file and words what it found as a
/// <see cref="ContentCredentialsReport"/>: the statuses, the signer (and the node its certificate is bound
/// to, when a registry domain is given), the signature's time-stamp, claim generator, actions, soft bindings, ingredients and the
/// provenance record the credentials name. The ledger's <c>api/verify</c> and the CLI's
/// <c>credentials show</c> both answer with it.
/// </summary>
/// <remarks>Stateless apart from its validator: safe to share between threads.</remarks>
/// <param name="validator">Validates the manifest store (its trust list decides Valid or Trusted).</param>
/// <param name="registryDomain">The <c>ModelRegistry</c> domain certificate bindings are checked in; null to leave them unchecked.</param>
public sealed class ContentCredentialsInspector(ManifestValidator validator, ContractDomain? registryDomain)
{
    /// <summary>Inspects <paramref name="file"/>.</summary>
    /// <exception cref="JumbfException">With <see cref="JumbfErrorReason.UnsupportedFormat"/> when the file is not PNG, JPEG or WebP.</exception>
    public ContentCredentialsReport Inspect(ReadOnlyMemory<byte> file)
    {
        var report = validator.ValidateFile(file);
        Bytes32? assetHash;
        try
        {
            assetHash = AssetContainers.AssetHash(file);
        }
        catch (JumbfException e) when (e.Reason != JumbfErrorReason.UnsupportedFormat)
        {
            // A store the container cannot cut out: the file cannot be hashed without it.
            assetHash = null;
        }

        if (!report.HasManifestStore)
        {
            return ContentCredentialsReport.None(assetHash);
        }

        var result = report.ActiveManifest!;
        var manifest = report.Store?.Find(result.ManifestLabel);
        var signer = manifest?.Signature?.Signer;
        RecordAssertionContent? content = null;
        var record = manifest is null ? null : ReadRecord(manifest, assetHash, out content);
        return new ContentCredentialsReport(
            true,
            StateOf(result.State),
            manifest?.Label,
            Statuses(result.Success),
            Statuses(result.Informational),
            Statuses(result.Failure),
            signer is null ? null : Signer(signer, content),
            manifest?.Claim is { } c ? ClaimGenerator(c) : null,
            manifest is null ? [] : Actions(manifest),
            manifest is null ? [] : SoftBindings(manifest),
            manifest is null ? [] : Ingredients(manifest, report),
            record,
            assetHash,
            result.TimeStamp is { } stamp ? TimeStampOf(stamp) : null);
    }

    private static CredentialTimeStamp TimeStampOf(VerifiedTimeStamp stamp) =>
        new(stamp.Time, stamp.Authority, stamp.Trusted, stamp.Version == TimeStampVersion.V2 ? ClaimTimeStamp.V2Label : ClaimTimeStamp.V1Label);

    /// <summary>The API form of a validation state.</summary>
    public static CredentialsValidationState StateOf(ValidationState state) => state switch
    {
        ValidationState.Trusted => CredentialsValidationState.Trusted,
        ValidationState.Valid => CredentialsValidationState.Valid,
        _ => CredentialsValidationState.Invalid,
    };

    private static List<CredentialStatus> Statuses(IEnumerable<ValidationStatus> statuses) =>
        [.. statuses.Select(status => new CredentialStatus(status.Code, status.Url, status.Explanation))];

    private static CredentialRecordClaim? ReadRecord(Manifest manifest, Bytes32? assetHash, out RecordAssertionContent? content)
    {
        content = null;
        try
        {
            content = RecordAssertionContent.Read(manifest);
        }
        catch (FormatException e)
        {
            return new CredentialRecordClaim(null, null, null, null, [e.Message]);
        }

        if (content is null)
        {
            return null;
        }

        List<string> problems = [];
        if (assetHash is { } hash && hash != content.ContentHash)
        {
            problems.Add($"The credentials name content hash {content.ContentHash}, but the file without its manifest store hashes to {hash}.");
        }

        return new CredentialRecordClaim(content.RecordDigest, content.NodeAddress, content.LedgerUrl, content.ContentHash, problems);
    }

    private CredentialSigner Signer(X509Certificate2 certificate, RecordAssertionContent? record)
    {
        EvmAddress? bound = null;
        string binding;
        if (record is null)
        {
            binding = "The credentials name no provenance record, so no node binding.";
        }
        else if (registryDomain is null)
        {
            binding = $"The credentials claim node {record.NodeAddress}; the binding was not checked (no registry domain given).";
        }
        else
        {
            try
            {
                bound = ManifestNodeBinding.Verify(certificate, record, registryDomain);
                binding = $"Bound to node {bound} by the node key's signature in registry {registryDomain.VerifyingContract} on chain {registryDomain.ChainId}.";
            }
            catch (InvalidCertificateBindingException e)
            {
                binding = "Not bound to the node the credentials name: " + e.Message;
            }
        }

        return new CredentialSigner(certificate.Subject, certificate.Issuer, new DateTimeOffset(certificate.NotAfter.ToUniversalTime()), bound, binding);
    }

    private static string? ClaimGenerator(Claim claim)
    {
        if (claim.ClaimGenerator is { } generator)
        {
            return generator;
        }

        var info = claim.ClaimGeneratorInfo switch
        {
            JsonObject map => map,
            JsonArray list => list.OfType<JsonObject>().FirstOrDefault(),
            _ => null,
        };
        return info is null ? null
            : Text(info["version"]) is { } version ? $"{Text(info["name"])} {version}"
            : Text(info["name"]);
    }

    private static List<CredentialAction> Actions(Manifest manifest) =>
    [
        .. manifest.Assertions
            .Where(assertion => assertion.BaseLabel is "c2pa.actions" or "c2pa.actions.v2")
            .SelectMany(assertion => (assertion.Content?["actions"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Select(action => new CredentialAction(
                Text(action["action"]) ?? "(none)",
                Text(action["digitalSourceType"]),
                action["softwareAgent"] is JsonObject agent ? Text(agent["name"]) : Text(action["softwareAgent"]))),
    ];

    private static List<CredentialSoftBinding> SoftBindings(Manifest manifest) =>
    [
        .. manifest.Assertions
            .Where(assertion => assertion.BaseLabel == "c2pa.soft-binding" && assertion.Content is JsonObject)
            .Select(assertion => new CredentialSoftBinding(
                Text(assertion.Content!["alg"]) ?? "(none)",
                (assertion.Content["blocks"] as JsonArray)?.OfType<JsonObject>().Select(block => Text(block["value"])).FirstOrDefault())),
    ];

    private static List<CredentialIngredient> Ingredients(Manifest manifest, ValidationReport report) =>
    [
        .. manifest.Ingredients.Select(ingredient =>
        {
            var validation = report.Ingredients.FirstOrDefault(v => v.IngredientUrl.EndsWith("/" + ingredient.Assertion.Label, StringComparison.Ordinal)
                && v.ManifestLabel == ingredient.ManifestLabel);
            return new CredentialIngredient(
                ingredient.Title, ingredient.Format, ingredient.Relationship, ingredient.ManifestLabel,
                validation is null ? null : StateOf(validation.Result.State));
        }),
    ];

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
