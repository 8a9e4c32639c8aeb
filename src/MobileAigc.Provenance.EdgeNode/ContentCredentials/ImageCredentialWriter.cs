using System.Buffers.Binary;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Building;
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
/// <remarks>Thread-safe: it keeps no state between calls.</remarks>
public sealed class ImageCredentialWriter
{
    private readonly ManifestBuilder _builder;
    private readonly ProvenanceRecordIssuer _issuer;
    private readonly NodeCertificateBinding? _binding;
    private readonly Uri? _ledgerUrl;

    /// <summary>A writer signing with <paramref name="identity"/> for the records of <paramref name="issuer"/>.</summary>
    /// <param name="identity">The node's C2PA signing identity; stays the caller's to dispose.</param>
    /// <param name="issuer">The node's record issuer: its domain, address and key.</param>
    /// <param name="ledgerUrl">The ledger's base URL written in every record assertion; null when the node knows no ledger.</param>
    /// <param name="time">The clock of the actions' time.</param>
    /// <exception cref="ArgumentException">When the identity cannot sign ES256 or speaks for another node than the issuer's.</exception>
    public ImageCredentialWriter(C2paSigningIdentity identity, ProvenanceRecordIssuer issuer, Uri? ledgerUrl, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(time);
        if (identity.Node != issuer.Node)
        {
            throw new ArgumentException($"The C2PA identity speaks for node {identity.Node}, not for {issuer.Node}.", nameof(identity));
        }

        if (ledgerUrl is not null && (!ledgerUrl.IsAbsoluteUri || (ledgerUrl.Scheme != Uri.UriSchemeHttp && ledgerUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"The ledger URL '{ledgerUrl}' is not an absolute http(s) URL.", nameof(ledgerUrl));
        }

        _builder = new ManifestBuilder(new EcdsaCredentialSigner(identity.SigningKey, identity.Chain), ManifestLimits.Default, time);
        _issuer = issuer;
        _ledgerUrl = ledgerUrl;
        _binding = identity.Binding is { } binding
            ? new NodeCertificateBinding(binding.Signed.Statement.CertificateHash, binding.Signed.Signature)
            : null;
    }

    /// <summary>Embeds signed credentials for <paramref name="signed"/> (digest <paramref name="recordDigest"/>) in <paramref name="picture"/>.</summary>
    /// <exception cref="ArgumentException">When the record's content hash is not the SHA-256 of the picture, or the parent's manifests cannot be copied.</exception>
    public CredentialedPicture Write(GeneratedPicture picture, SignedProvenanceRecord signed, Bytes32 recordDigest)
    {
        ArgumentNullException.ThrowIfNull(picture);
        ArgumentNullException.ThrowIfNull(signed);
        var payload = new byte[ImageSoftBindings.WatermarkPayloadLength];
        BinaryPrimitives.WriteUInt64BigEndian(payload, picture.WatermarkPayload);
        var record = new RecordReference(
            recordDigest, signed.Signature, _issuer.Domain, _issuer.Node, _ledgerUrl, signed.Record.ContentHash, _binding)
        {
            ParentRecord = signed.ParentRecord,
        };
        var request = new ContentCredentialRequest(
            picture.Asset,
            new GeneratingModel(picture.ModelName, picture.ModelHash),
            new ImageSoftBindings(payload, picture.PerceptualHash.ToArray()),
            picture.Thumbnail,
            record)
        {
            Parent = picture.Parent,
        };
        var credentialed = _builder.Build(request);
        return new CredentialedPicture(credentialed.File, credentialed.ManifestStore, _issuer.SignDeliveredFile(recordDigest, credentialed.File));
    }
}
