using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Signing;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// Writes the Content Credentials of a generated image: a C2PA manifest store (actions, data hash,
/// soft bindings, claim thumbnail, the provenance record assertion, a <c>c2pa.claim.v2</c> and its
/// COSE_Sign1 signature) embedded in the PNG, JPEG or WebP it describes.
/// </summary>
/// <remarks>
/// The data hash names the store's own size, so the store is laid out until the size its exclusion
/// announces is the size it takes (the hash assertion's <c>pad</c> absorbs the difference), then the
/// hash and the claim are computed and the claim is signed into the space reserved for the signature.
/// Thread-safe: a builder keeps no state between calls.
/// </remarks>
public sealed class ManifestBuilder
{
    private const int MaxLayoutRounds = 32;
    private readonly ICredentialSigner _signer;
    private readonly ManifestLimits _limits;
    private readonly TimeProvider _time;

    /// <summary>A builder that signs with <paramref name="signer"/> and writes PNG and JPEG files.</summary>
    /// <param name="signer">The claim signer.</param>
    /// <param name="limits">Size bounds; <see cref="ManifestLimits.Default"/> when in doubt.</param>
    /// <param name="time">The clock of the actions' <c>when</c>.</param>
    /// <exception cref="ArgumentException">The signer has no certificate or signs with another algorithm than ES256.</exception>
    public ManifestBuilder(ICredentialSigner signer, ManifestLimits limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(time);
        if (signer.Chain is not { Count: > 0 } || signer.Algorithm != CredentialSigningAlgorithm.Es256)
        {
            throw new ArgumentException("The claim signer needs a certificate chain (signing certificate first) and ES256.", nameof(signer));
        }

        _signer = signer;
        _limits = limits;
        _time = time;
    }

    /// <summary>Embeds signed Content Credentials in <see cref="ContentCredentialRequest.Asset"/>.</summary>
    /// <exception cref="ArgumentException">The request is malformed or over a bound, the asset is not
    /// PNG, JPEG or WebP, or already carries a manifest store, or the record does not describe this asset.</exception>
    /// <exception cref="Jumbf.JumbfException">The asset is a broken PNG, JPEG or WebP.</exception>
    /// <exception cref="CryptographicException">The signer failed.</exception>
    public SignedAsset Build(ContentCredentialRequest request)
    {
        ContentCredentialRequestChecks.Check(request, _limits, _signer);
        var asset = request.Asset;
        var container = AssetContainers.Detect(asset.Span) is { } format
            ? AssetContainers.For(format)
            : throw new ArgumentException("The asset is not a PNG, JPEG or WebP file.", nameof(request));
        if (container.Locate(asset) is not null)
        {
            throw new ArgumentException("The asset already carries a manifest store; credentials are written on a file without one.", nameof(request));
        }

        var label = request.Record is { } record
            ? RecordManifestLabel.For(record.RecordDigest)
            : RecordManifestLabel.Prefix + Guid.NewGuid().ToString("D");
        var layout = new ManifestStoreLayout(label, "xmp:iid:" + Guid.NewGuid().ToString("D"));
        var parent = request.Parent is { } ingredient ? ParentManifests.Read(ingredient, label, _limits) : null;
        if (parent is not null)
        {
            layout.AddIngredientManifests(parent.Manifests);
        }

        AddAssertions(layout, request, parent?.Active);

        var reserved = ClaimSigner.MinimumSize(_signer);
        var placeholderSignature = new byte[reserved];
        var (start, length, pad) = SettleExclusion(layout, container, asset, placeholderSignature);

        var withPlaceholder = container.Embed(asset, layout.Compose(layout.Claim(), placeholderSignature)).File;
        var assetHash = HashOutside(withPlaceholder, start, length);
        layout.ReplaceCbor(AssertionLabels.DataHash, DataHashAssertion.Encode(start, length, assetHash.AsSpan(), pad));
        var claim = layout.Claim();
        var store = layout.Compose(claim, ClaimSigner.Sign(claim, _signer, reserved));
        var embedded = container.Embed(asset, store);
        var file = embedded.File;
        if (Exclusion(embedded) != (start, length))
        {
            throw new InvalidOperationException("The signed store does not take the bytes its data hash excludes.");
        }

        return new SignedAsset(file, label, store, assetHash, start, length);
    }

    private void AddAssertions(ManifestStoreLayout layout, ContentCredentialRequest request, JumbfSuperBox? parentManifest)
    {
        HashedUriEntry? ingredient = null;
        if (request.Parent is { } parent)
        {
            var box = layout.AddCbor(AssertionLabels.Ingredient, IngredientAssertion.Encode(parent, parentManifest));
            ingredient = HashedUriEntry.Of(AssertionLabels.AssertionUri(AssertionLabels.Ingredient), box);
        }

        layout.AddCbor(AssertionLabels.Actions, ActionsAssertion.Encode(request.Model, _time.GetUtcNow(), ClaimV2.GeneratorVersion, ingredient));
        layout.AddEmbeddedFile(
            AssertionLabels.ClaimThumbnailPrefix + ContentCredentialRequestChecks.ThumbnailExtension(request.Thumbnail.MediaType),
            request.Thumbnail.MediaType,
            request.Thumbnail.Bytes);
        layout.AddCbor(AssertionLabels.SoftBinding, SoftBindingAssertion.Encode(SoftBindingAssertion.ImageWatermarkAlgorithm, request.SoftBindings.WatermarkPayload.Span));
        layout.AddCbor(AssertionLabels.SoftBinding + "__1", SoftBindingAssertion.Encode(SoftBindingAssertion.PerceptualHashAlgorithm, request.SoftBindings.PerceptualHash.Span));
        if (request.SoftBindings.Pdq is { } pdq)
        {
            layout.AddCbor(AssertionLabels.SoftBinding + "__2", SoftBindingAssertion.Encode(SoftBindingAlgorithms.Pdq, pdq.Span));
        }

        if (request.Record is { } record)
        {
            layout.AddCbor(AssertionLabels.ProvenanceRecord, ProvenanceRecordAssertion.Encode(record));
        }

        layout.AddCbor(AssertionLabels.DataHash, DataHashAssertion.Encode(0, 0, new byte[32], 0));
    }

    /// <summary>
    /// Lays the store out until the exclusion it announces is the one it takes. Each round either
    /// moves the start, grows the announced length to the measured one, or pads the store up to the
    /// announced length, so the announced length never shrinks and the loop ends.
    /// </summary>
    private (long Start, long Length, int Pad) SettleExclusion(ManifestStoreLayout layout, IAssetContainer container, ReadOnlyMemory<byte> asset, byte[] signature)
    {
        long start = 0, length = 0;
        var pad = 0;
        for (var round = 0; round < MaxLayoutRounds; round++)
        {
            layout.ReplaceCbor(AssertionLabels.DataHash, DataHashAssertion.Encode(start, length, new byte[32], pad));
            var store = layout.Compose(layout.Claim(), signature);
            if (store.Length > _limits.MaxStoreBytes)
            {
                throw new ArgumentException($"The manifest store would take {store.Length} bytes; at most {_limits.MaxStoreBytes} are allowed.");
            }

            var (measuredStart, measuredLength) = Exclusion(container.Embed(asset, store));
            if (measuredStart == start && measuredLength == length)
            {
                return (start, length, pad);
            }

            if (measuredStart != start)
            {
                start = measuredStart;
            }
            else if (measuredLength > length)
            {
                length = measuredLength;
            }
            else
            {
                pad += (int)(length - measuredLength);
            }
        }

        throw new InvalidOperationException($"The manifest store's size did not settle in {MaxLayoutRounds} rounds.");
    }

    /// <summary>The one exclusion of the embedded store: its ranges (JPEG segments) are contiguous.</summary>
    private static (long Start, long Length) Exclusion(EmbeddedAsset embedded)
    {
        var ranges = embedded.ManifestRanges.OrderBy(range => range.Start).ToList();
        for (var i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Start != ranges[i - 1].End)
            {
                throw new InvalidOperationException("The container split the manifest store into non-contiguous ranges.");
            }
        }

        return (ranges[0].Start, ranges[^1].End - ranges[0].Start);
    }

    private static Bytes32 HashOutside(byte[] file, long start, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(file, 0, (int)start);
        hash.AppendData(file, (int)(start + length), file.Length - (int)(start + length));
        return Bytes32.FromBytes(hash.GetHashAndReset());
    }
}
