using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The C2PA validation state of a file's active manifest, as the C2PA SDK names it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CredentialsValidationState>))]
public enum CredentialsValidationState
{
    /// <summary>A failure other than an untrusted signer.</summary>
    [JsonStringEnumMemberName("Invalid")]
    Invalid,

    /// <summary>No failure, except possibly an untrusted signer.</summary>
    [JsonStringEnumMemberName("Valid")]
    Valid,

    /// <summary>No failure and the signer chains to one of the configured trust anchors.</summary>
    [JsonStringEnumMemberName("Trusted")]
    Trusted,
}

/// <summary>
/// The Content Credentials (C2PA manifest store) found in a file and what validating them gave. A
/// file without credentials has <see cref="Present"/> false and everything else empty.
/// </summary>
/// <param name="Present">True when the file carries a manifest store (readable or not).</param>
/// <param name="State">The active manifest's validation state; null when no store.</param>
/// <param name="ActiveManifest">The active manifest's label; null when no store or unreadable.</param>
/// <param name="Success">Success statuses (C2PA codes, e.g. <c>claimSignature.validated</c>).</param>
/// <param name="Informational">Informational statuses.</param>
/// <param name="Failure">Failure statuses (e.g. <c>assertion.dataHash.mismatch</c>).</param>
/// <param name="Signer">The claim signer's certificate; null when none could be read.</param>
/// <param name="ClaimGenerator">The claim generator (name and version), or null.</param>
/// <param name="Actions">The actions of <c>c2pa.actions</c> / <c>c2pa.actions.v2</c>, in order.</param>
/// <param name="SoftBindings">The <c>c2pa.soft-binding</c> assertions.</param>
/// <param name="Ingredients">The ingredients, with their manifests' validation state when they carry one.</param>
/// <param name="Record">The provenance record the credentials name, or null when they name none.</param>
/// <param name="AssetHash">SHA-256 of the file without its manifest store (equal to the file's hash when it has none); null when the file is not PNG, JPEG or WebP.</param>
/// <param name="TimeStamp">The claim signature's RFC 3161 time-stamp when it verified; null when there is none or it failed (see the <c>timeStamp.*</c> statuses).</param>
public sealed record ContentCredentialsReport(
    bool Present,
    CredentialsValidationState? State,
    string? ActiveManifest,
    IReadOnlyList<CredentialStatus> Success,
    IReadOnlyList<CredentialStatus> Informational,
    IReadOnlyList<CredentialStatus> Failure,
    CredentialSigner? Signer,
    string? ClaimGenerator,
    IReadOnlyList<CredentialAction> Actions,
    IReadOnlyList<CredentialSoftBinding> SoftBindings,
    IReadOnlyList<CredentialIngredient> Ingredients,
    CredentialRecordClaim? Record,
    Bytes32? AssetHash,
    CredentialTimeStamp? TimeStamp = null)
{
    /// <summary>The report for a file that carries no manifest store.</summary>
    public static ContentCredentialsReport None(Bytes32? assetHash) => new(false, null, null, [], [], [], null, null, [], [], [], null, assetHash);
}

/// <summary>One C2PA validation status.</summary>
/// <param name="Code">The C2PA code, e.g. <c>assertion.dataHash.match</c>.</param>
/// <param name="Url">The JUMBF URI of the element concerned, or null.</param>
/// <param name="Explanation">Why, in English, or null.</param>
public sealed record CredentialStatus(string Code, string? Url, string? Explanation);

/// <summary>The certificate that signed the claim.</summary>
/// <param name="Subject">Its subject distinguished name.</param>
/// <param name="Issuer">Its issuer distinguished name.</param>
/// <param name="NotAfter">When it expires.</param>
/// <param name="BoundNode">
/// The node the certificate is bound to by the node key's signature (checked in the registry's domain);
/// null when not bound or not checked (see <paramref name="Binding"/>).
/// </param>
/// <param name="Binding">What the binding check found, in English.</param>
public sealed record CredentialSigner(string Subject, string Issuer, DateTimeOffset NotAfter, EvmAddress? BoundNode, string Binding);

/// <summary>The RFC 3161 time-stamp of the claim signature, verified: its imprint, its authority's signature and certificate.</summary>
/// <param name="Time">When the time-stamp authority says the claim signature existed (its <c>genTime</c>).</param>
/// <param name="Authority">The subject of the time-stamp authority's certificate.</param>
/// <param name="Trusted">True when the authority chains to a time-stamp trust anchor: only then is the signer's certificate judged at <paramref name="Time"/> rather than now.</param>
/// <param name="Header">The COSE header it came in: <c>sigTst2</c> (v2, over the signature) or <c>sigTst</c> (v1, over the claim).</param>
public sealed record CredentialTimeStamp(DateTimeOffset Time, string Authority, bool Trusted, string Header);

/// <summary>One action of the actions assertion.</summary>
/// <param name="Action">The action, e.g. <c>c2pa.created</c>.</param>
/// <param name="DigitalSourceType">Its digital source type, or null.</param>
/// <param name="SoftwareAgent">Its software agent's name, or null.</param>
public sealed record CredentialAction(string Action, string? DigitalSourceType, string? SoftwareAgent);

/// <summary>One soft-binding assertion.</summary>
/// <param name="Algorithm">The algorithm name, e.g. <c>org.mobileaigc.watermark.image.1</c>.</param>
/// <param name="Value">The value of its first block, as written.</param>
public sealed record CredentialSoftBinding(string Algorithm, string? Value);

/// <summary>One ingredient of the active manifest.</summary>
/// <param name="Title">Its title, or null.</param>
/// <param name="Format">Its media type, or null.</param>
/// <param name="Relationship"><c>parentOf</c>, <c>componentOf</c> or <c>inputTo</c>, or null.</param>
/// <param name="ManifestLabel">The label of its manifest, or null when it carries none.</param>
/// <param name="State">Its manifest's validation state, or null when it carries none.</param>
public sealed record CredentialIngredient(string? Title, string? Format, string? Relationship, string? ManifestLabel, CredentialsValidationState? State);

/// <summary>
/// The provenance record a file's credentials name (<c>org.mobileaigc.provenance-record</c>): the signer's
/// claim, checked against the ledger's record when the ledger has it.
/// </summary>
/// <param name="RecordDigest">The record digest named; null when the assertion is malformed.</param>
/// <param name="NodeAddress">The node named; null when malformed.</param>
/// <param name="LedgerUrl">The ledger URL named; null when malformed.</param>
/// <param name="ContentHash">The content hash named; null when malformed.</param>
/// <param name="Problems">What contradicts the record or the file: a malformed assertion, another digest, another content hash.</param>
public sealed record CredentialRecordClaim(Bytes32? RecordDigest, EvmAddress? NodeAddress, string? LedgerUrl, Bytes32? ContentHash, IReadOnlyList<string> Problems);
