namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// What an edge node knows about one generated image when it writes its Content Credentials.
/// </summary>
/// <param name="Asset">The PNG, JPEG or WebP file, with no manifest store in it.</param>
/// <param name="Model">The model that generated the image: the <c>c2pa.created</c> action's software agent.</param>
/// <param name="SoftBindings">The image watermark's payload and the perceptual hash, each a soft binding.</param>
/// <param name="Thumbnail">The claim thumbnail, made by the caller (this library decodes no image).</param>
/// <param name="Record">The provenance record the image belongs to, or null for credentials that name no record
/// (the manifest then gets a random label).</param>
public sealed record ContentCredentialRequest(
    ReadOnlyMemory<byte> Asset,
    GeneratingModel Model,
    ImageSoftBindings SoftBindings,
    ClaimThumbnail Thumbnail,
    RecordReference? Record)
{
    /// <summary>The picture this one was derived from (image-to-image), or null for a generation from text.</summary>
    public ParentIngredient? Parent { get; init; }
}

/// <summary>The generating model, named in the <c>c2pa.created</c> action.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="ModelHash">The model's hash as registered on chain.</param>
/// <param name="Version">The model's version, when it has one.</param>
public sealed record GeneratingModel(string Name, Core.Primitives.Bytes32 ModelHash, string? Version = null);

/// <summary>The soft bindings of an image: the watermark, our perceptual hash and, when given, PDQ.</summary>
/// <param name="WatermarkPayload">The 8-byte payload of the invisible image watermark.</param>
/// <param name="PerceptualHash">The 32-byte perceptual hash of the image.</param>
public sealed record ImageSoftBindings(ReadOnlyMemory<byte> WatermarkPayload, ReadOnlyMemory<byte> PerceptualHash)
{
    /// <summary>
    /// The image's 32-byte PDQ hash (<c>SoftBindingAlgorithms.Pdq</c>), written as a third soft binding; null (the default)
    /// writes none.
    /// </summary>
    public ReadOnlyMemory<byte>? Pdq { get; init; }

    /// <summary>The watermark payload's length.</summary>
    public const int WatermarkPayloadLength = 8;

    /// <summary>The perceptual hash's length.</summary>
    public const int PerceptualHashLength = 32;
}

/// <summary>The claim thumbnail: encoded image bytes and their media type.</summary>
/// <param name="MediaType"><c>image/jpeg</c> or <c>image/png</c>.</param>
/// <param name="Bytes">The encoded thumbnail.</param>
public sealed record ClaimThumbnail(string MediaType, ReadOnlyMemory<byte> Bytes);
