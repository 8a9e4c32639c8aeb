using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Signing;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>The guard clauses of <see cref="ManifestBuilder.Build"/>: every size bounded, every field of the form C2PA wants.</summary>
internal static class ContentCredentialRequestChecks
{
    public static void Check(ContentCredentialRequest request, ManifestLimits limits, ICredentialSigner signer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Model);
        ArgumentNullException.ThrowIfNull(request.SoftBindings);
        ArgumentNullException.ThrowIfNull(request.Thumbnail);
        if (request.Asset.Length == 0 || request.Asset.Length > limits.MaxAssetBytes)
        {
            throw new ArgumentException($"The asset has {request.Asset.Length} bytes; between 1 and {limits.MaxAssetBytes} are accepted.", nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.Model.Name) || request.Model.Name.Length > 256)
        {
            throw new ArgumentException("The model's name must be 1 to 256 characters.", nameof(request));
        }

        RequireLength(request.SoftBindings.WatermarkPayload, ImageSoftBindings.WatermarkPayloadLength, "watermark payload");
        RequireLength(request.SoftBindings.PerceptualHash, ImageSoftBindings.PerceptualHashLength, "perceptual hash");
        if (request.SoftBindings.Pdq is { } pdq)
        {
            RequireLength(pdq, ImageSoftBindings.PerceptualHashLength, "PDQ hash");
        }

        CheckThumbnail(request.Thumbnail, limits);
        if (request.Record is { } record)
        {
            CheckRecord(record, request.Asset.Span, signer);
        }

        if (request.Parent is { } parent)
        {
            CheckParent(parent, limits);
        }
    }

    /// <summary>The label suffix of a thumbnail's media type.</summary>
    public static string ThumbnailExtension(string mediaType) => mediaType switch
    {
        "image/jpeg" => "jpeg",
        "image/png" => "png",
        _ => throw new ArgumentException($"Claim thumbnails are image/jpeg or image/png, not '{mediaType}'."),
    };

    private static void CheckThumbnail(ClaimThumbnail thumbnail, ManifestLimits limits)
    {
        _ = ThumbnailExtension(thumbnail.MediaType);
        if (thumbnail.Bytes.Length == 0 || thumbnail.Bytes.Length > limits.MaxThumbnailBytes)
        {
            throw new ArgumentException($"The thumbnail has {thumbnail.Bytes.Length} bytes; between 1 and {limits.MaxThumbnailBytes} are accepted.");
        }
    }

    private static void CheckRecord(RecordReference record, ReadOnlySpan<byte> asset, ICredentialSigner signer)
    {
        ArgumentNullException.ThrowIfNull(record.RecordSignature);
        ArgumentNullException.ThrowIfNull(record.Domain);
        if (record.LedgerUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            throw new ArgumentException($"The ledger URL '{record.LedgerUrl}' is not an absolute http(s) URL.");
        }

        if (record.ContentHash != Bytes32.Sha256(asset))
        {
            throw new ArgumentException($"The record's content hash {record.ContentHash} is not the SHA-256 of the asset: the credentials would name another file's record.");
        }

        if (record.CertificateBinding is { } binding)
        {
            var leaf = Bytes32.FromBytes(SHA256.HashData(signer.Chain[0].RawData));
            if (binding.CertificateSha256 != leaf)
            {
                throw new ArgumentException($"The certificate binding names certificate {binding.CertificateSha256}, not the signing certificate {leaf}.");
            }
        }
    }

    private static void CheckParent(ParentIngredient parent, ManifestLimits limits)
    {
        if (string.IsNullOrWhiteSpace(parent.Title) || parent.Title.Length > 256)
        {
            throw new ArgumentException("The parent's title must be 1 to 256 characters.");
        }

        if (string.IsNullOrWhiteSpace(parent.MediaType) || parent.MediaType.Length > 128)
        {
            throw new ArgumentException("The parent's media type must be 1 to 128 characters.");
        }

        if (parent.ManifestStore.Length > limits.MaxIngredientManifestBytes)
        {
            throw new ArgumentException($"The parent's manifest store has {parent.ManifestStore.Length} bytes; at most {limits.MaxIngredientManifestBytes} are copied.");
        }

        if (!parent.ManifestStore.IsEmpty && parent.ValidationResults is null)
        {
            throw new ArgumentException("A parent with a manifest store needs the validation results it was taken with.");
        }
    }

    private static void RequireLength(ReadOnlyMemory<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"The {name} has {value.Length} bytes; it must have {length}.");
        }
    }
}
