using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.ContentCredentials;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Provenance;
using MobileAigc.Provenance.Generation.Image;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.EdgeNode.Generation;

/// <summary>
/// Where content is born: runs the model, watermarks the result, hashes it, and has the
/// node issue its signed provenance record, durably stored before the content is returned.
/// A picture is delivered with its Content Credentials (<paramref name="credentials"/>), written once the
/// record is signed and stored with it in the same outbox transaction.
/// The prompt never leaves this class in clear: the record holds a salted commitment.
/// </summary>
public sealed class ContentGenerator(
    ModelCatalog catalog, WatermarkKey watermarkKey, ProvenanceRecordIssuer issuer, ImageCredentialWriter credentials)
{
    /// <summary>The longest prompt accepted: 2,000 characters.</summary>
    public const int MaxPromptLength = 2_000;

    /// <summary>The smallest side of a generated image: 256, so that every accepted size carries a readable watermark.</summary>
    public const int MinImageSide = 256;

    /// <summary>The largest side of a generated image.</summary>
    public const int MaxImageSide = 2_048;

    /// <summary>The most tokens one request may generate.</summary>
    public const int MaxNewTokensLimit = 2_000;

    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);
    private readonly ImageWatermarker _imageWatermarker = new(watermarkKey);
    private readonly TextWatermark _textWatermark = new(watermarkKey);

    /// <summary>Generates, watermarks, hashes and records one image, naming the creator as <paramref name="creator"/> says.</summary>
    /// <param name="request">The request.</param>
    /// <param name="creator">The creator the record names, as <see cref="CreatorAuthenticator"/> decided.</param>
    /// <exception cref="ArgumentException">When the prompt, a size or the input picture is out of range or unreadable (the message says which).</exception>
    /// <exception cref="UnknownModelException">When the node does not serve the requested model.</exception>
    /// <exception cref="C2paSigningUnavailableException">When the picture's Content Credentials cannot be signed: nothing is stored.</exception>
    public GenerateImageResponse GenerateImage(GenerateImageRequest request, CreatorClaim creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        var served = ValidateImageRequest(request);
        var input = ImageToImageInput.Read(request, served.ImageGenerator!);
        var options = new ImageGenerationOptions
        {
            Seed = request.Seed ?? RandomSeed(),
            Prompt = request.Prompt,
            Width = input?.Width ?? request.Width,
            Height = input?.Height ?? request.Height,
            Input = input?.Picture,
            Strength = input?.Derivation.Strength ?? ImageGenerationOptions.DefaultStrength,
        };

        var picture = served.ImageGenerator!.Generate(options);
        var payload = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var marked = _imageWatermarker.Embed(picture, payload);
        var format = OutputFormat(request.Format);
        // The record's content hash covers these bytes: the file without its manifest store (what c2pa.hash.data covers).
        var asset = format == ImageOutputFormats.Jpeg
            ? ImageCodec.Encode(marked, ImageFileFormat.Jpeg, ImageOutputFormats.JpegQuality)
            : ImageCodec.Encode(marked, ImageFileFormat.Png);
        var perceptual = PerceptualHasher.Compute(marked);
        // PDQ of the pixels a verifier decodes: a JPEG's differ from the picture's by its compression.
        var pdq = format == ImageOutputFormats.Jpeg ? PdqHasher.Compute(asset) : PdqHasher.Compute(marked);
        var generated = new GeneratedPicture(
            asset, served.Name, served.ModelHash, payload, perceptual.Bits, ClaimThumbnails.Of(marked),
            input?.Derivation.InputFile is { } inputFile ? ParentIngredients.Of(inputFile) : null);
        CredentialedPicture? delivered = null;

        // Text-to-image parameters keep their first form (and so their hashes); a derivation adds its input and strength.
        object parameters = input is { Derivation: var derivation }
            ? new { model = served.ModelHash, seed = options.Seed, width = marked.Width, height = marked.Height, input = derivation.InputSha256, strength = derivation.Strength }
            : new { model = served.ModelHash, seed = options.Seed, width = marked.Width, height = marked.Height };
        var (signed, salts) = Issue(Bytes32.Sha256(asset), perceptual.Bits, served, request.Prompt, parameters,
            WatermarkIds.FromImagePayload(payload), creator, input?.Derivation.ParentRecord, pdq, (record, digest) =>
            {
                delivered = credentials.Write(generated, record, digest);
                return record with { ManifestStore = delivered.ManifestStore, DeliveredFile = delivered.DeliveredFile };
            });
        return new GenerateImageResponse(
            delivered!.File, ImageOutputFormats.MediaType(format), signed, ProvenanceRecordTypedData.Digest(signed.Record, issuer.Domain), payload,
            perceptual.Quality, salts)
        {
            Derivation = input?.Derivation,
        };
    }

    /// <summary>Generates (watermarking while sampling), hashes and records one text, naming the creator as <paramref name="creator"/> says.</summary>
    /// <param name="request">The request.</param>
    /// <param name="creator">The creator the record names, as <see cref="CreatorAuthenticator"/> decided.</param>
    /// <exception cref="ArgumentException">When the prompt or a sampling parameter is out of range (the message says which).</exception>
    /// <exception cref="UnknownModelException">When the node does not serve the requested model.</exception>
    public GenerateTextResponse GenerateText(GenerateTextRequest request, CreatorClaim creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        var served = ValidateTextRequest(request);
        var options = TextOptions(request, served, request.Seed ?? RandomSeed());

        var generation = served.TextGenerator!.Generate(request.Prompt, options, _textWatermark.Bias);
        var detection = _textWatermark.Detect([.. generation.Tokens], served.TextGenerator.VocabularySize!.Value);
        var parameters = new
        {
            model = served.ModelHash, seed = options.Seed, maxNewTokens = options.MaxNewTokens, temperature = options.Temperature,
            topK = options.TopK, topP = options.TopP,
        };
        var (signed, salts) = Issue(Bytes32.Sha256(Encoding.UTF8.GetBytes(generation.Text)), Bytes32.Zero, served, request.Prompt,
            parameters, WatermarkIds.ForTextKey(watermarkKey), creator);
        return new GenerateTextResponse(generation.Text, signed, ProvenanceRecordTypedData.Digest(signed.Record, issuer.Domain), detection.ZScore, salts);
    }

    /// <summary>
    /// Checks an image request without generating anything and returns the model that would serve it:
    /// a paid request is validated before its voucher is accepted, so a bad parameter never costs the creator.
    /// </summary>
    /// <exception cref="ArgumentException">When the prompt, a size or the format is out of range (the message says which).</exception>
    /// <exception cref="UnknownModelException">When the node does not serve the requested model.</exception>
    /// <exception cref="C2paSigningUnavailableException">When the node cannot sign the picture's Content Credentials now (its certificate has expired).</exception>
    public ServedModel ValidateImageRequest(GenerateImageRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsurePrompt(request.Prompt);
        EnsureRange(request.Width, MinImageSide, MaxImageSide, "width");
        EnsureRange(request.Height, MinImageSide, MaxImageSide, "height");
        OutputFormat(request.Format);
        var served = catalog.Find(ModelKind.Image, request.Model);
        ImageToImageInput.Read(request, served.ImageGenerator!);
        credentials.EnsureCanSign();
        return served;
    }

    /// <summary>Checks a text request without generating anything and returns the model that would serve it (see <see cref="ValidateImageRequest"/>).</summary>
    /// <exception cref="ArgumentException">When the prompt or a sampling parameter is out of range (the message says which).</exception>
    /// <exception cref="UnknownModelException">When the node does not serve the requested model.</exception>
    public ServedModel ValidateTextRequest(GenerateTextRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsurePrompt(request.Prompt);
        EnsureRange(request.MaxNewTokens, 1, MaxNewTokensLimit, "maxNewTokens");
        var served = catalog.Find(ModelKind.Text, request.Model);
        TextOptions(request, served, seed: 0);
        return served;
    }

    private static TextGenerationOptions TextOptions(GenerateTextRequest request, ServedModel served, ulong seed)
    {
        var defaults = TextGenerationOptions.FromManifest(served.Model.Manifest, seed);
        var options = defaults with
        {
            MaxNewTokens = request.MaxNewTokens ?? defaults.MaxNewTokens,
            Temperature = request.Temperature ?? defaults.Temperature,
            TopK = request.TopK ?? defaults.TopK,
            TopP = request.TopP ?? defaults.TopP,
        };
        options.Validate();
        return options;
    }

    private (SignedProvenanceRecord Record, CommitmentSalts Salts) Issue(
        Bytes32 contentHash, Bytes32 perceptualHash, ServedModel served, string prompt, object parameters, Bytes32 watermarkId,
        CreatorClaim creator, Bytes32? parentRecord = null, PdqHashAndQuality? pdq = null,
        Func<SignedProvenanceRecord, Bytes32, SignedProvenanceRecord>? attach = null)
    {
        // A signed request committed to the creator's own salt: the record must hold that commitment.
        var promptSalt = creator.PromptSalt ?? Commitments.NewSalt();
        Bytes32? creatorSalt = creator is { Private: true, Creator: not null } ? Commitments.NewSalt() : null;
        var statement = new ContentStatement(
            contentHash,
            perceptualHash,
            served.ModelHash,
            creator is { Private: false, Creator: { } publicCreator } ? publicCreator : EvmAddress.Zero,
            creatorSalt is { } salt ? Commitments.Creator(creator.Creator!.Value, salt) : Bytes32.Zero,
            Commitments.Prompt(prompt, promptSalt),
            Bytes32.Sha256(JsonSerializer.SerializeToUtf8Bytes(parameters, CanonicalJson)),
            watermarkId,
            parentRecord,
            pdq);
        return (issuer.Issue(statement, creator.Private ? null : creator.Proof, attach), new CommitmentSalts(promptSalt, creatorSalt));
    }

    /// <summary>The delivered file's format: the request's, or PNG when it names none.</summary>
    /// <exception cref="ArgumentException">When the request names another format than png or jpeg.</exception>
    private static string OutputFormat(string? format) => format switch
    {
        null or ImageOutputFormats.Png => ImageOutputFormats.Png,
        ImageOutputFormats.Jpeg => ImageOutputFormats.Jpeg,
        _ => throw new ArgumentException($"format must be '{ImageOutputFormats.Png}' or '{ImageOutputFormats.Jpeg}'; got '{format}'.", nameof(format)),
    };

    private static ulong RandomSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    private static void EnsurePrompt(string? prompt)
    {
        if (string.IsNullOrWhiteSpace(prompt) || prompt.Length > MaxPromptLength)
        {
            throw new ArgumentException($"The prompt must be 1 to {MaxPromptLength} characters.", nameof(prompt));
        }
    }

    private static void EnsureRange(int? value, int min, int max, string name)
    {
        if (value is { } v && (v < min || v > max))
        {
            throw new ArgumentException($"{name} must be {min} to {max}; got {v}.", name);
        }
    }
}
