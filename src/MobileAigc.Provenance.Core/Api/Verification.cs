using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's verification endpoints, as creators, viewers and tools call them.</summary>
public static class LedgerVerification
{
    /// <summary>The route, relative to the ledger's base address: <c>GET api/verify/{sha256}</c> and <c>POST api/verify</c> (multipart, field <see cref="FileField"/>).</summary>
    public const string VerifyPath = "api/verify";

    /// <summary>The multipart field that carries the file: <c>file</c>.</summary>
    public const string FileField = "file";
}

/// <summary>What the ledger concludes about a piece of content.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerificationVerdict>))]
public enum VerificationVerdict
{
    /// <summary>Nothing in the ledger matches the content.</summary>
    [JsonStringEnumMemberName("unknown")]
    Unknown = 0,

    /// <summary>The exact bytes are recorded, the node's signature holds and the record is not revoked.</summary>
    [JsonStringEnumMemberName("verified")]
    Verified,

    /// <summary>The bytes differ from every record, but a watermark or a perceptual hash leads to a record with a valid signature.</summary>
    [JsonStringEnumMemberName("modified-but-traced")]
    ModifiedButTraced,

    /// <summary>The content leads to a record its node's operator revoked on chain.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked,

    /// <summary>The content leads to a stored record whose signature (or digest) does not check: the ledger's copy was altered.</summary>
    [JsonStringEnumMemberName("signature-invalid")]
    SignatureInvalid,

    /// <summary>
    /// The exact bytes are recorded and signed, but something contradicts the record: what it claims about
    /// them (perceptual hash, watermark id) is not what the ledger recomputed from the file, so the node
    /// signed a false claim (see <see cref="VerificationResult.Claims"/>); or the file's Content Credentials
    /// name another record, content hash or node (a store moved onto this picture, see
    /// <c>ContentCredentialsReport.Record</c>).
    /// </summary>
    [JsonStringEnumMemberName("content-mismatch")]
    ContentMismatch,
}

/// <summary>How one claim of a record compares with what the ledger recomputed from the file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClaimCheckOutcome>))]
public enum ClaimCheckOutcome
{
    /// <summary>The file agrees with the claim.</summary>
    [JsonStringEnumMemberName("agrees")]
    Agrees,

    /// <summary>The file contradicts the claim: the record is false about this file.</summary>
    [JsonStringEnumMemberName("disagrees")]
    Disagrees,

    /// <summary>The ledger cannot tell (no watermark key reads the file, or the content has no such property); see the detail.</summary>
    [JsonStringEnumMemberName("not-checked")]
    NotChecked,
}

/// <summary>One claim of a record re-checked against the uploaded file.</summary>
/// <param name="Outcome">Agrees, disagrees or not checked.</param>
/// <param name="Detail">What was recomputed and compared, in English.</param>
public sealed record ClaimCheck(ClaimCheckOutcome Outcome, string Detail);

/// <summary>
/// The record's claims about the content, recomputed from the uploaded file when it matched the record
/// by its exact bytes: a node's word is checked wherever the file allows it.
/// </summary>
/// <param name="PerceptualHash">The record's perceptual hash against the one computed from the file.</param>
/// <param name="Watermark">The record's watermark id against the watermark read from the file.</param>
public sealed record ContentClaimsCheck(ClaimCheck PerceptualHash, ClaimCheck Watermark)
{
    /// <summary>The PDQ hash a version 3 record signed against the one computed from the file; null (and omitted) for earlier versions.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ClaimCheck? Pdq { get; init; }

    /// <summary>True when no claim is contradicted by the file.</summary>
    [JsonIgnore]
    public bool Hold => PerceptualHash.Outcome != ClaimCheckOutcome.Disagrees && Watermark.Outcome != ClaimCheckOutcome.Disagrees
        && Pdq?.Outcome != ClaimCheckOutcome.Disagrees;

    /// <summary>The claims the file contradicts.</summary>
    [JsonIgnore]
    public IEnumerable<ClaimCheck> Contradicted =>
        new[] { PerceptualHash, Watermark, Pdq }.OfType<ClaimCheck>().Where(c => c.Outcome == ClaimCheckOutcome.Disagrees);
}

/// <summary>How the content was tied to its record.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VerificationMatchMethod>))]
public enum VerificationMatchMethod
{
    /// <summary>
    /// SHA-256 of the file (of an image: first without its C2PA manifest store) equals the record's content hash,
    /// or SHA-256 of the file as it is equals the hash of the file the record's node delivered
    /// (<see cref="VerificationMatch.MatchedBy"/> says which).
    /// </summary>
    [JsonStringEnumMemberName("content-hash")]
    ContentHash,

    /// <summary>An image watermark read with one of the ledger's keys carries the record's watermark id.</summary>
    [JsonStringEnumMemberName("image-watermark")]
    ImageWatermark,

    /// <summary>The image's perceptual hash is within the match threshold of the record's.</summary>
    [JsonStringEnumMemberName("perceptual-hash")]
    PerceptualHash,

    /// <summary>
    /// One of the image's eight PDQ hashes (as it is, turned by a multiple of 90° or mirrored) is within the PDQ threshold of
    /// the PDQ hash the record signed: a similar picture, never proof of the same bytes.
    /// </summary>
    [JsonStringEnumMemberName("pdq")]
    Pdq,

    /// <summary>
    /// The text carries a node's green-list watermark (an exact binomial p-value, corrected for the
    /// keys and tokenizers tried, at or below the detector's false-positive rate with one of the
    /// ledger's keys and a known model's tokenizer, over at least the minimum of scored tokens). Such a watermark names its key, not a record, so
    /// the answer names the node and model but no single record.
    /// </summary>
    [JsonStringEnumMemberName("text-watermark")]
    TextWatermark,
}

/// <summary>The answer of <c>api/verify</c>: a verdict and everything it rests on.</summary>
/// <param name="Verdict">The conclusion.</param>
/// <param name="Summary">One sentence for people, in English; clients branch on <paramref name="Verdict"/>, never on this.</param>
/// <param name="ContentHash">SHA-256 of the uploaded file, or the hash asked about.</param>
/// <param name="Match">How the record was found; null when <see cref="VerificationVerdict.Unknown"/>.</param>
/// <param name="Record">The matched record; null when unknown.</param>
/// <param name="Node">The node that signed it; null when unknown.</param>
/// <param name="Model">The model that generated it; null when unknown.</param>
/// <param name="Signature">The re-check of the node's signature; null when unknown.</param>
/// <param name="Anchoring">The record's Merkle proof and its re-checks; null when unknown or not batched yet.</param>
/// <param name="Revocation">Set when the record is revoked.</param>
/// <param name="Claims">
/// For a file matched by its exact bytes: the record's perceptual hash and watermark id recomputed from
/// the file; null otherwise (verification by hash alone, or a file matched another way).
/// </param>
/// <param name="Lineage">The matched record's chain of derivations; null when it names no parent (or nothing matched).</param>
/// <param name="Credentials">
/// For an uploaded PNG, JPEG or WebP: its Content Credentials (C2PA) and their validation, joined to the matched
/// record (a record digest, content hash or node that differs from the record's is listed in its problems,
/// and the verdict is then never <see cref="VerificationVerdict.Verified"/>); null for text and verification by hash.
/// </param>
/// <param name="ModelLineage">
/// When <paramref name="Model"/> is a derivative (a fine-tuned or personalised model registered with a parent): its
/// lineage from the registry mirror, the derivative first and its root last, with each model's owner and royalty rate
/// (<see cref="LineageModel.RoyaltiesReceived"/> stays null here: <c>GET api/models/{hash}/lineage</c> sums them). Null
/// for a root model, an unknown one, or when nothing matched.
/// </param>
public sealed record VerificationResult(
    VerificationVerdict Verdict,
    string Summary,
    Bytes32 ContentHash,
    VerificationMatch? Match,
    VerifiedRecord? Record,
    VerifiedNode? Node,
    VerifiedModel? Model,
    SignatureCheck? Signature,
    AnchoringCheck? Anchoring,
    RecordRevocation? Revocation,
    ContentClaimsCheck? Claims = null,
    RecordLineage? Lineage = null,
    ContentCredentialsReport? Credentials = null,
    IReadOnlyList<LineageModel>? ModelLineage = null);

/// <summary>How the content was tied to the record.</summary>
/// <param name="Method">Exact hash, watermark or perceptual hash.</param>
/// <param name="HammingDistance">For a perceptual match: bits that differ (0 to the threshold).</param>
/// <param name="Threshold">For a perceptual match: the largest distance counted as a match.</param>
/// <param name="WatermarkConfidence">For an image watermark match: 0 to 1 (1 = read without error).</param>
/// <param name="TextWatermark">For a text watermark match: the detector's statistics.</param>
/// <param name="MatchedBy">
/// For an exact match (<see cref="VerificationMatchMethod.ContentHash"/>): which of the record's hashes the
/// SHA-256 equals: its content hash (the asset without its C2PA manifest store) or the hash of the file its
/// node delivered (<see cref="DeliveredFile"/>, what <c>sha256sum</c> prints for a credentialed file). Null
/// for every other method, and omitted from JSON then.
/// </param>
public sealed record VerificationMatch(
    VerificationMatchMethod Method, int? HammingDistance, int? Threshold, double? WatermarkConfidence, TextWatermarkEvidence? TextWatermark = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    ExactHashMatch? MatchedBy = null);

/// <summary>Which hash of a record an exact lookup found it by (<see cref="VerificationMatch.MatchedBy"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ExactHashMatch>))]
public enum ExactHashMatch
{
    /// <summary>The record's <see cref="ProvenanceRecord.ContentHash"/>: SHA-256 of the asset without its C2PA manifest store.</summary>
    [JsonStringEnumMemberName("content-hash")]
    ContentHash,

    /// <summary>
    /// The <see cref="DeliveredFile.FileHash"/> the record's node signed when the ledger first stored the record:
    /// SHA-256 of the file as delivered, Content Credentials included.
    /// </summary>
    [JsonStringEnumMemberName("delivered-file")]
    DeliveredFile,
}

/// <summary>What the text watermark detector found.</summary>
/// <param name="ScoredTokens">Distinct (context, token) pairs scored.</param>
/// <param name="GreenTokens">How many of them were on the green list.</param>
/// <param name="ZScore">The detector's z-score, for display (the decision rests on <paramref name="PValue"/>).</param>
/// <param name="PValue">
/// The exact chance of at least <paramref name="GreenTokens"/> green among <paramref name="ScoredTokens"/> without
/// the watermark (binomial upper tail), for the key and tokenizer that matched; 0 when below the smallest double.
/// </param>
/// <param name="AdjustedPValue">
/// <paramref name="PValue"/> times the number of (key, tokenizer) pairs tried (Bonferroni), at most 1: the chance
/// that unmarked text scores this well with any of them. The match requires it at or below the detector's
/// false-positive rate (1e-5).
/// </param>
public sealed record TextWatermarkEvidence(int ScoredTokens, int GreenTokens, double ZScore, double PValue, double AdjustedPValue);

/// <summary>A stored record as the ledger holds it.</summary>
/// <param name="Digest">The EIP-712 digest: the record's id.</param>
/// <param name="Record">The signed fields.</param>
/// <param name="Signature">The node's 65-byte signature, hex.</param>
/// <param name="ReceivedAt">When the ledger accepted it.</param>
/// <param name="SignedAt">
/// "Signed at": the time the node claims (<see cref="ProvenanceRecord.Timestamp"/>), within the ledger's skew
/// of its own clock when it was received; a claim, not a proof.
/// </param>
/// <param name="AnchoredAt">
/// "Anchored at": the timestamp of the block that anchored the record's batch (the chain's time, the proof
/// that the record existed then); null while the batch is not anchored and confirmed.
/// </param>
/// <param name="Creator">Who the record names as its creator and how that was proven, re-checked for this answer.</param>
public sealed record VerifiedRecord(
    Bytes32 Digest, ProvenanceRecord Record, string Signature, DateTimeOffset ReceivedAt, DateTimeOffset SignedAt,
    DateTimeOffset? AnchoredAt, CreatorCheck? Creator);

/// <summary>How the creator a record names was authenticated, re-checked from the stored proof for this answer.</summary>
/// <param name="Authentication">
/// <see cref="CreatorAuthentication.None"/> (no creator), <see cref="CreatorAuthentication.PrivateCommitment"/>
/// (a commitment naming nobody until opened), <see cref="CreatorAuthentication.CreatorSignature"/> (the creator
/// signed the request) or <see cref="CreatorAuthentication.ChannelVoucher"/> (the creator paid: the voucher's signer,
/// the channel's creator on chain when the ledger accepted the record).
/// </param>
/// <param name="Valid">True when the stored proof still proves the named creator (always true when no creator is named).</param>
/// <param name="Proof">The creator's proof as stored, so anyone can check it again; null when none.</param>
/// <param name="Detail">What was checked, or why it failed.</param>
public sealed record CreatorCheck(CreatorAuthentication Authentication, bool Valid, CreatorProof? Proof, string Detail);

/// <summary>The node that signed the record, from the ledger's mirror of the registry.</summary>
/// <param name="Address">The node's signing address.</param>
/// <param name="Operator">Its operator; null when the ledger's mirror does not know the node (yet).</param>
/// <param name="Registered">Whether the node is registered now; null when unknown.</param>
/// <param name="Endpoint">
/// The public URL its operator advertised on chain (<c>ModelRegistry.setNodeEndpoint</c>), as the mirror last saw it, in
/// its absolute form; null when none is advertised, the node is unknown, or what the chain holds is not an <c>http</c> or
/// <c>https</c> URL by <c>NodeEndpoint</c>'s rule (the contract bounds only its length). Its host is the best name the
/// ledger knows for the node; the operator, not the ledger, vouches for it.
/// </param>
public sealed record VerifiedNode(EvmAddress Address, EvmAddress? Operator, bool? Registered, string? Endpoint = null);

/// <summary>The model, from the ledger's mirror of the registry.</summary>
/// <param name="ModelHash">SHA-256 of the ONNX file.</param>
/// <param name="Owner">The owner (royalty receiver); null when the mirror does not know the model.</param>
/// <param name="MetadataUri">Where its description lives.</param>
/// <param name="PricePerGeneration">Price per generation in the token's smallest unit (decimal string).</param>
/// <param name="RoyaltyBasisPoints">The owner's share, in 1/10,000.</param>
/// <param name="Active">Whether the model accepts new channels.</param>
/// <param name="Name">
/// The model's name from a manifest the ledger was given (<c>Ledger:Verification:ModelManifests</c> or
/// <c>TextModelManifests</c>) that pins this hash; null when none does. The registry holds no names.
/// </param>
public sealed record VerifiedModel(
    Bytes32 ModelHash, EvmAddress? Owner, string? MetadataUri, string? PricePerGeneration, int? RoyaltyBasisPoints, bool? Active, string? Name = null);

/// <summary>The ledger's re-check of the stored signature, done for this answer.</summary>
/// <param name="Valid">True when the stored digest is the record's digest and the signature recovers to the record's node.</param>
/// <param name="RecoveredSigner">The address the signature recovers to; null when it recovers to none.</param>
/// <param name="Detail">Why it failed, or what was checked.</param>
public sealed record SignatureCheck(bool Valid, EvmAddress? RecoveredSigner, string Detail);

/// <summary>The record's Merkle proof and the ledger's re-checks of it, done for this answer.</summary>
/// <param name="Inclusion">The record's inclusion proof and its batch (state, root, transaction, block), as every ledger response shows it.</param>
/// <param name="ProofValid">Whether the proof leads from the digest to the root, checked locally now.</param>
/// <param name="RootCheckedOnChain">
/// True when the contract holds the root, anchored by this ledger's anchorer (read at the block in <paramref name="RootChecked"/>),
/// and the proof leads from the record to it (checked now by the contract's own <c>verifyInclusion</c> rule); false otherwise
/// (see <paramref name="OnChainDetail"/>).
/// </param>
/// <param name="OnChainDetail">What the chain said, or why it was not asked (not anchored yet, node unreachable).</param>
/// <param name="Anchorer">
/// The account that anchored the root, as the contract says now; null when not asked. <paramref name="RootCheckedOnChain"/>
/// is true only when it is one of this ledger's anchorers: the contract may allow others.
/// </param>
/// <param name="OnChain">
/// What <paramref name="RootCheckedOnChain"/> false means, for a reader that must tell a refusal from an absence:
/// <see cref="ClaimCheckOutcome.Agrees"/> (confirmed now, by this ledger's anchorer), <see cref="ClaimCheckOutcome.Disagrees"/>
/// (the contract does not confirm root and proof, or another account anchored the root) or <see cref="ClaimCheckOutcome.NotChecked"/>
/// (the batch is not anchored yet, or the chain did not answer in time).
/// </param>
/// <param name="Deployment">
/// The contract deployment the record is signed for and its batch anchored on: the current one, or a previous one the
/// ledger still lists after a contract upgrade. Null only from a ledger older than this field.
/// </param>
/// <param name="RootChecked">
/// When and at which block the contract's state was read for the root; null when the chain was not read (the batch is not
/// anchored yet, the deployment is not listed, the chain did not answer). A root read at a block that already had the ledger's
/// confirmations does not change: that reading is kept and answered from (<see cref="RootCheckpoint.Final"/>), so its time may be
/// well before this request.
/// </param>
public sealed record AnchoringCheck(
    RecordProof Inclusion, bool ProofValid, bool RootCheckedOnChain, string OnChainDetail, EvmAddress? Anchorer = null,
    ClaimCheckOutcome OnChain = ClaimCheckOutcome.NotChecked, AnchoringDeployment? Deployment = null, RootCheckpoint? RootChecked = null);

/// <summary>One reading of a batch root on chain: at which block, when, and whether it is final.</summary>
/// <param name="Block">The block whose state was read (the chain's head minus the ledger's confirmations when <paramref name="Final"/>).</param>
/// <param name="CheckedAt">When the ledger read it, by its clock.</param>
/// <param name="Final">
/// True when the root was already there with the ledger's confirmations at <paramref name="Block"/>: a reorganisation that deep is
/// outside what the ledger guards against, so the reading is kept and not repeated. False when the root is more recent than that:
/// it was read at the head and is read again at the next request.
/// </param>
public sealed record RootCheckpoint(long Block, DateTimeOffset CheckedAt, bool Final);

/// <summary>A contract deployment a record belongs to: its <c>ProvenanceLedger</c> (the EIP-712 domain's verifying contract) and chain.</summary>
/// <param name="ProvenanceLedger">The <c>ProvenanceLedger</c> address: the record is signed in its domain and its root anchored on it.</param>
/// <param name="ChainId">The chain's id.</param>
/// <param name="Current">True for the deployment the ledger accepts and anchors new records on; false for a previous one.</param>
public sealed record AnchoringDeployment(EvmAddress ProvenanceLedger, long ChainId, bool Current);

/// <summary>A revocation by the node's operator.</summary>
/// <param name="RevokedAt">When it was revoked on chain.</param>
/// <param name="Reason">The operator's reason.</param>
public sealed record RecordRevocation(DateTimeOffset RevokedAt, string? Reason);
