using System.Buffers.Binary;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.EdgeNode.ContentCredentials;

/// <summary>What the node knows of one generated picture when its record is signed.</summary>
/// <param name="Asset">The encoded picture (PNG or JPEG) without credentials: the bytes the record's content hash covers.</param>
/// <param name="ModelName">The generating model's name.</param>
/// <param name="ModelHash">The generating model's hash.</param>
/// <param name="WatermarkPayload">The invisible watermark's 64-bit payload.</param>
/// <param name="PerceptualHash">The picture's 256-bit perceptual hash.</param>
/// <param name="Thumbnail">The claim thumbnail (<see cref="ClaimThumbnails"/>).</param>
/// <param name="Parent">The input picture of an image-to-image request (<see cref="ParentIngredients"/>); null otherwise.</param>
public sealed record GeneratedPicture(
    ReadOnlyMemory<byte> Asset, string ModelName, Bytes32 ModelHash, ulong WatermarkPayload, Bytes32 PerceptualHash, ClaimThumbnail Thumbnail,
    ParentIngredient? Parent);

/// <summary>A picture with its Content Credentials, as the node delivers it.</summary>
/// <param name="File">The delivered file: the picture with its manifest store embedded.</param>
/// <param name="ManifestStore">The embedded manifest store.</param>
/// <param name="DeliveredFile">The node key's statement of the SHA-256 of <paramref name="File"/> for the record.</param>
public sealed record CredentialedPicture(byte[] File, byte[] ManifestStore, SignedDeliveredFile DeliveredFile);

/// <summary>
/// Writes the Content Credentials of the node's pictures once their records are signed: a C2PA manifest store
/// signed with the node's C2PA identity (ES256, its certificate chain), naming the model, the soft bindings, the
/// record (digest, signature, domain, node, ledger URL, the certificate's binding to the node, the parent record)
/// and, for image-to-image, the input as a <c>parentOf</c> ingredient; then the node key's signed statement of the
/// delivered file's hash.
/// </summary>
/// <remarks>
/// Thread-safe. Signs with the identity <see cref="C2paSigningIdentityKeeper"/> holds at each call, so a renewed certificate is used
/// from the next picture on; a failure to build or sign is a <see cref="C2paSigningUnavailableException"/>, which the caller answers
/// without charging.
/// </remarks>
public sealed class ImageCredentialWriter
{
    /// <summary>The default signer factory: the identity's own P-256 key and chain.</summary>
    public static readonly C2paClaimSignerFactory OwnKey = identity => new EcdsaCredentialSigner(identity.SigningKey, identity.Chain);

    private readonly C2paSigningIdentityKeeper _identities;
    private readonly C2paClaimSignerFactory _signerOf;
    private readonly ProvenanceRecordIssuer _issuer;
    private readonly Uri? _ledgerUrl;
    private readonly TimeProvider _time;
    private volatile SigningState? _state;

    /// <summary>A writer signing with the identity <paramref name="identities"/> keeps for the records of <paramref name="issuer"/>.</summary>
    /// <param name="identities">The node's C2PA signing identity, kept current; stays the caller's to dispose.</param>
    /// <param name="issuer">The node's record issuer: its domain, address and key.</param>
    /// <param name="ledgerUrl">The ledger's base URL written in every record assertion; null when the node knows no ledger.</param>
    /// <param name="time">The clock of the actions' time.</param>
    /// <param name="signerOf">Makes the claim signer of an identity. Default: <see cref="OwnKey"/>.</param>
    /// <exception cref="ArgumentException">When the identity speaks for another node than the issuer's, or the ledger URL is not absolute http(s).</exception>
    public ImageCredentialWriter(
        C2paSigningIdentityKeeper identities, ProvenanceRecordIssuer issuer, Uri? ledgerUrl, TimeProvider time, C2paClaimSignerFactory? signerOf = null)
    {
        ArgumentNullException.ThrowIfNull(identities);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(time);
        if (identities.Current.Node != issuer.Node)
        {
            throw new ArgumentException($"The C2PA identity speaks for node {identities.Current.Node}, not for {issuer.Node}.", nameof(identities));
        }

        if (ledgerUrl is not null && (!ledgerUrl.IsAbsoluteUri || (ledgerUrl.Scheme != Uri.UriSchemeHttp && ledgerUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"The ledger URL '{ledgerUrl}' is not an absolute http(s) URL.", nameof(ledgerUrl));
        }

        _identities = identities;
        _signerOf = signerOf ?? OwnKey;
        _issuer = issuer;
        _ledgerUrl = ledgerUrl;
        _time = time;
    }

    /// <summary>Checks that the node can sign credentials now, before anything is generated or charged.</summary>
    /// <exception cref="C2paSigningUnavailableException">When the signing certificate has expired (the message says whose and what to do).</exception>
    public void EnsureCanSign() => _identities.EnsureCanSign();

    /// <summary>Embeds signed credentials for <paramref name="signed"/> (digest <paramref name="recordDigest"/>) in <paramref name="picture"/>.</summary>
    /// <exception cref="ArgumentException">When the record's content hash is not the SHA-256 of the picture, or the parent's manifests cannot be copied.</exception>
    /// <exception cref="C2paSigningUnavailableException">When the certificate has expired, or the signer failed.</exception>
    public CredentialedPicture Write(GeneratedPicture picture, SignedProvenanceRecord signed, Bytes32 recordDigest)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(signed);
        var state = StateFor(_identities.EnsureCanSign());
        var payload = new byte[ImageSoftBindings.WatermarkPayloadLength];
        BinaryPrimitives.WriteUInt64BigEndian(payload, picture.WatermarkPayload);
        var record = new RecordReference(
            recordDigest, signed.Signature, _issuer.Domain, _issuer.Node, _ledgerUrl, signed.Record.ContentHash, state.Binding)
        {
            ParentRecord = signed.ParentRecord,
        };
        var request = new ContentCredentialRequest(
            picture.Asset,
            new GeneratingModel(picture.ModelName, picture.ModelHash),
            // The PDQ hash the record signed, so that the manifest's binding and the record's can never differ.
            new ImageSoftBindings(payload, picture.PerceptualHash.ToArray()) { Pdq = signed.ExtensionsV3 is { } v3 ? new ReadOnlyMemory<byte>(v3.PdqHash.ToArray()) : null },
            picture.Thumbnail,
            record)
        {
            Parent = picture.Parent,
        };
        SignedAsset credentialed;
        try
        {
            credentialed = state.Builder.Build(request);
        }
        catch (Exception e) when (e is not ArgumentException and not JumbfException and not OperationCanceledException)
        {
            // Bad input (the request, a parent's broken manifest store) is the caller's; anything else is the signer or its key failing.
            throw new C2paSigningUnavailableException(
                $"Signing the picture's Content Credentials failed ({e.GetType().Name}): the node's C2PA signer is not working. The node's log has the cause.", e);
        }

        return new CredentialedPicture(credentialed.File, credentialed.ManifestStore, _issuer.SignDeliveredFile(recordDigest, credentialed.File));
    }

    // One builder per identity: made again only after a renewal.
    private SigningState StateFor(C2paSigningIdentity identity)
    {
        var state = _state;
        if (state is not null && ReferenceEquals(state.Identity, identity))
        {
            return state;
        }

        var binding = identity.Binding is { } bound
            ? new NodeCertificateBinding(bound.Signed.Statement.CertificateHash, bound.Signed.Signature)
            : null;
        state = new SigningState(identity, new ManifestBuilder(_signerOf(identity), ManifestLimits.Default, _time), binding);
        _state = state;
        return state;
    }

    private sealed record SigningState(C2paSigningIdentity Identity, ManifestBuilder Builder, NodeCertificateBinding? Binding);
}
