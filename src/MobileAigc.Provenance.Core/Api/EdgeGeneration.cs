using System.Numerics;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The edge node's HTTP routes.</summary>
public static class EdgeRoutes
{
    /// <summary><c>POST v1/generate/image</c>.</summary>
    public const string GenerateImage = "v1/generate/image";

    /// <summary><c>POST v1/generate/text</c>.</summary>
    public const string GenerateText = "v1/generate/text";

    /// <summary><c>GET v1/models</c>.</summary>
    public const string Models = "v1/models";

    /// <summary><c>GET v1/node</c>.</summary>
    public const string Node = "v1/node";

    /// <summary><c>GET v1/node/held</c>: the records the ledger refused for good, kept in the outbox.</summary>
    public const string HeldRecords = "v1/node/held";

    /// <summary>
    /// <c>GET v1/node/not-kept</c>: the records the ledger accepted without keeping everything sent with them (a manifest
    /// store, a delivered-file statement), with the ledger's problems; delivered, never sent again.
    /// </summary>
    public const string NotKeptRecords = "v1/node/not-kept";

    /// <summary>
    /// <c>GET v1/node/evidence</c>: the evidence the node keeps of its anchored records, as one JSON array of
    /// <see cref="RecordEvidence"/> in sequence order (from <c>after</c>, a record sequence); provider key.
    /// </summary>
    public const string NodeEvidence = "v1/node/evidence";

    /// <summary><c>GET v1/records/{digest}/proof</c>: the evidence the node keeps of one of its records.</summary>
    public static string RecordProof(Bytes32 recordDigest) => $"v1/records/{recordDigest}/proof";

    /// <summary><c>GET v1/payments</c>: how to pay this node.</summary>
    public const string Payments = "v1/payments";

    /// <summary><c>GET v1/earnings</c>: accepted, settled and pending amounts per channel and per model.</summary>
    public const string Earnings = "v1/earnings";

    /// <summary><c>GET v1/channels/{id}</c>: the latest voucher the node accepted on a channel.</summary>
    public static string Channel(Bytes32 channelId) => $"v1/channels/{channelId}";

    /// <summary><c>POST v1/models/{id}/fine-tune</c>: starts a fine-tune job on the served model <paramref name="model"/> (its name or 0x hash).</summary>
    public static string FineTune(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return $"v1/models/{Uri.EscapeDataString(model)}/fine-tune";
    }

    /// <summary><c>GET v1/fine-tunes/{jobId}</c>: where a fine-tune job stands.</summary>
    public static string FineTuneJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        return $"v1/fine-tunes/{Uri.EscapeDataString(jobId)}";
    }

    /// <summary><c>POST v1/fine-tunes/{jobId}/cancel</c>: stops a queued or running fine-tune job; its fee is given back.</summary>
    public static string CancelFineTune(string jobId) => FineTuneJob(jobId) + "/cancel";
}

/// <summary>Who asked for the content, as the record will show it.</summary>
/// <param name="Address">The creator's address; null for an anonymous request.</param>
/// <param name="Private">
/// When true the record holds only a salted commitment to <paramref name="Address"/>, which names nobody
/// and proves nothing until the creator opens it (reveals address and salt, and signs with that address);
/// no proof is asked for.
/// </param>
/// <param name="Signature">
/// The creator's signature over the request (<see cref="CreatorRequest"/>): required to be named in the
/// record of a free generation; for a paid one the voucher's signer (the channel's creator) is named
/// without it. Ignored for a private creator.
/// </param>
public sealed record CreatorIdentity(EvmAddress? Address, bool Private = false, CreatorRequestSignature? Signature = null);

/// <summary>
/// A creator's signature over a generation request: EIP-712 <see cref="CreatorRequest"/> in the ledger's
/// domain (<see cref="NodeStatus.RecordChainId"/>, <see cref="NodeStatus.ProvenanceLedger"/>) over the
/// node, the model, the prompt commitment made with <paramref name="PromptSalt"/> and <paramref name="Nonce"/>.
/// </summary>
/// <param name="PromptSalt">The salt the creator chose for the prompt commitment; the node uses it instead of its own.</param>
/// <param name="Nonce">32 random bytes: the ledger accepts one record per creator and nonce.</param>
/// <param name="Signature">The creator's signature.</param>
public sealed record CreatorRequestSignature(Bytes32 PromptSalt, Bytes32 Nonce, EcdsaSignature Signature);

/// <summary>Body of <c>POST v1/generate/image</c>.</summary>
/// <param name="Prompt">What to draw; committed salted in the record, never stored in clear. Up to 2,000 characters.</param>
/// <param name="Model">The model's name or 0x hash; null for the node's first image model.</param>
/// <param name="Seed">The seed; null for a random one.</param>
/// <param name="Width">Width in pixels, 256 to 2,048; null for the model's default.</param>
/// <param name="Height">Height in pixels, 256 to 2,048; null for the model's default.</param>
/// <param name="Creator">Who asks; null for anonymous.</param>
/// <param name="Payment">The next voucher on the creator's channel; required for a model with a price, ignored for a free one.</param>
/// <param name="InputImage">
/// Image-to-image: the PNG, JPEG or WebP picture to edit or vary (base64 in JSON), at most 8 MiB and 2,048 × 2,048 pixels;
/// null for text-to-image. Unset sides then follow its aspect ratio.
/// </param>
/// <param name="Strength">With <paramref name="InputImage"/>: 0 (keep the input) to 1 (ignore it); null for 0.6.</param>
/// <param name="ParentRecord">
/// With <paramref name="InputImage"/>: the digest of the input's own provenance record, when the creator has one. The record
/// then is version 2 and names it as its parent: the node's signed claim, not checked by the node (see <c>docs/lineage.md</c>).
/// </param>
/// <param name="Format">
/// The delivered file's format: <see cref="ImageOutputFormats.Png"/> (the default when null) or <see cref="ImageOutputFormats.Jpeg"/>
/// (quality <see cref="ImageOutputFormats.JpegQuality"/>); either carries the node's C2PA manifest store. Any other value is refused
/// (<see cref="GenerationProblemTypes.InvalidParameter"/>).
/// </param>
public sealed record GenerateImageRequest(
    string Prompt, string? Model = null, ulong? Seed = null, int? Width = null, int? Height = null, CreatorIdentity? Creator = null,
    VoucherPayment? Payment = null, byte[]? InputImage = null, double? Strength = null, Bytes32? ParentRecord = null, string? Format = null);

/// <summary>The file formats an edge node delivers pictures in (<see cref="GenerateImageRequest.Format"/>).</summary>
public static class ImageOutputFormats
{
    /// <summary><c>png</c>: a PNG file, Content Credentials in a <c>caBX</c> chunk. The default.</summary>
    public const string Png = "png";

    /// <summary><c>jpeg</c>: a baseline JPEG file at <see cref="JpegQuality"/>, Content Credentials in APP11 segments.</summary>
    public const string Jpeg = "jpeg";

    /// <summary>The JPEG quality the node encodes with (fixed so that equal requests give equal files).</summary>
    public const int JpegQuality = 92;

    /// <summary>The media type of a delivered file of <paramref name="format"/> (<c>image/png</c> or <c>image/jpeg</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is neither <see cref="Png"/> nor <see cref="Jpeg"/>.</exception>
    public static string MediaType(string format) => format switch
    {
        Png => "image/png",
        Jpeg => "image/jpeg",
        _ => throw new ArgumentException($"Unknown image format '{format}': expected '{Png}' or '{Jpeg}'.", nameof(format)),
    };
}

/// <summary>How an image-to-image result was derived: what the record and parameters hash commit to.</summary>
/// <param name="InputSha256">SHA-256 of the input file as sent (in the parameters hash).</param>
/// <param name="Strength">The strength used.</param>
/// <param name="ParentRecord">The parent record the signed record names; null when the request named none (a version 1 record).</param>
public sealed record ImageDerivation(Bytes32 InputSha256, double Strength, Bytes32? ParentRecord)
{
    /// <summary>
    /// The input file's bytes, kept for the node's own use (a C2PA <c>parentOf</c> ingredient); never sent back to the creator,
    /// who has them. Default null.
    /// </summary>
    [JsonIgnore]
    public byte[]? InputFile { get; init; }
}

/// <summary>Body of <c>POST v1/generate/text</c>.</summary>
/// <param name="Prompt">The text to continue; committed salted in the record. Up to 2,000 characters.</param>
/// <param name="Model">The model's name or 0x hash; null for the node's first text model.</param>
/// <param name="Seed">The sampler's seed; null for a random one.</param>
/// <param name="MaxNewTokens">Tokens to generate, 1 to 2,000; null for the model's default.</param>
/// <param name="Temperature">Sampling temperature; null for the model's default.</param>
/// <param name="TopK">Top-k; null for the model's default.</param>
/// <param name="TopP">Top-p; null for the model's default.</param>
/// <param name="Creator">Who asks; null for anonymous.</param>
/// <param name="Payment">The next voucher on the creator's channel; required for a model with a price, ignored for a free one.</param>
public sealed record GenerateTextRequest(
    string Prompt, string? Model = null, ulong? Seed = null, int? MaxNewTokens = null, double? Temperature = null,
    int? TopK = null, double? TopP = null, CreatorIdentity? Creator = null, VoucherPayment? Payment = null);

/// <summary>The secrets a creator keeps to open the record's commitments later.</summary>
/// <param name="PromptSalt">Opens <see cref="ProvenanceRecord.PromptCommitment"/> together with the prompt.</param>
/// <param name="CreatorSalt">Opens <see cref="ProvenanceRecord.CreatorCommitment"/>; null when the creator was public.</param>
public sealed record CommitmentSalts(Bytes32 PromptSalt, Bytes32? CreatorSalt);

/// <summary>A generated image with its signed record.</summary>
/// <param name="File">
/// The watermarked picture as delivered: a PNG or JPEG file (<paramref name="MediaType"/>) carrying the node's signed C2PA
/// manifest store, whose own record assertion names <paramref name="RecordDigest"/>.
/// </param>
/// <param name="MediaType"><c>image/png</c> or <c>image/jpeg</c>, as the request's <see cref="GenerateImageRequest.Format"/> asked.</param>
/// <param name="Record">
/// The signed provenance record; its content hash is the SHA-256 of <paramref name="File"/> without its manifest store (the
/// bytes C2PA's <c>c2pa.hash.data</c> covers); <see cref="SignedProvenanceRecord.DeliveredFile"/> states the SHA-256 of
/// <paramref name="File"/> itself and <see cref="SignedProvenanceRecord.ManifestStore"/> holds the embedded store.
/// </param>
/// <param name="RecordDigest">The record's EIP-712 digest: its id at the ledger.</param>
/// <param name="WatermarkPayload">The 64-bit payload embedded in the picture.</param>
/// <param name="PerceptualHashQuality">The quality (0 to 100) of the record's perceptual hash.</param>
/// <param name="Salts">The commitment salts: only the creator gets them.</param>
/// <param name="Payment">The voucher the node accepted for it; null for a free generation.</param>
/// <param name="Derivation">For image-to-image: the input's hash, the strength and the parent record; null for text-to-image.</param>
public sealed record GenerateImageResponse(
    byte[] File, string MediaType, SignedProvenanceRecord Record, Bytes32 RecordDigest, ulong WatermarkPayload, int PerceptualHashQuality, CommitmentSalts Salts,
    AcceptedPayment? Payment = null, ImageDerivation? Derivation = null);

/// <summary>A generated text with its signed record.</summary>
/// <param name="Text">The generated continuation (without the prompt), watermarked while sampled.</param>
/// <param name="Record">The signed provenance record; its content hash is the SHA-256 of the UTF-8 <paramref name="Text"/>.</param>
/// <param name="RecordDigest">The record's EIP-712 digest: its id at the ledger.</param>
/// <param name="WatermarkZScore">The text watermark detector's z-score on the generated tokens.</param>
/// <param name="Salts">The commitment salts: only the creator gets them.</param>
/// <param name="Payment">The voucher the node accepted for it; null for a free generation.</param>
public sealed record GenerateTextResponse(
    string Text, SignedProvenanceRecord Record, Bytes32 RecordDigest, double WatermarkZScore, CommitmentSalts Salts,
    AcceptedPayment? Payment = null);

/// <summary>One model a node serves (<c>GET v1/models</c>).</summary>
/// <param name="Name">The manifest's name.</param>
/// <param name="Kind"><c>image</c> or <c>text</c>.</param>
/// <param name="ModelHash">SHA-256 of the ONNX file: the model's id in <c>ModelRegistry</c>.</param>
/// <param name="SizeBytes">Size of the ONNX file.</param>
/// <param name="Description">What the model is.</param>
/// <param name="PricePerGeneration">
/// The model's current price per generation in <c>ModelRegistry</c> (decimal string, in the paying
/// channel's token's smallest unit; "0": free); null when the node has no chain configured (free) or
/// the model is not registered (refused while payments are on).
/// </param>
/// <param name="Parent">For a derivative the node fine-tuned: its base model's hash; null for a model the node was given.</param>
/// <param name="Visibility">For a derivative: a <see cref="ModelVisibilities"/> value (a private one serves only its owner); null for a model the node was given (public).</param>
/// <param name="Owner">For a derivative: the owner it was made for; null for a model the node was given.</param>
public sealed record ServedModelInfo(
    string Name, string Kind, Bytes32 ModelHash, long SizeBytes, string? Description,
    [property: JsonConverter(typeof(Uint256JsonConverter))] BigInteger? PricePerGeneration = null,
    Bytes32? Parent = null, string? Visibility = null, EvmAddress? Owner = null);

/// <summary>What <c>GET v1/node</c> tells about a node.</summary>
/// <param name="Node">The node's signing address, as registered in <c>ModelRegistry</c>.</param>
/// <param name="PendingRecords">Signed records not yet accepted by the ledger.</param>
/// <param name="DeliveredRecords">Records the ledger accepted.</param>
/// <param name="HeldRecords">
/// Records the ledger refused for good (a conflicting sequence, a bad signature, a timestamp older than
/// the ledger's past window, a creator proof it refuses): kept, not sent again; they need the operator.
/// </param>
/// <param name="RecordChainId">The chain of the ledger contract the node signs records for (and creators sign requests for).</param>
/// <param name="ProvenanceLedger">The <c>ProvenanceLedger</c> contract whose EIP-712 domain records and creator requests are signed in.</param>
/// <param name="ProvenRecords">Delivered records whose evidence (proof to a root checked on chain) the node keeps (<see cref="EdgeRoutes.NodeEvidence"/>).</param>
public sealed record NodeStatus(
    EvmAddress Node, long PendingRecords, long DeliveredRecords, long HeldRecords, long? RecordChainId = null, EvmAddress? ProvenanceLedger = null,
    long? ProvenRecords = null);
