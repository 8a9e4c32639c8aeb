using System.Text.Json;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// A signed provenance record the ledger accepted. Its row is also the anchoring outbox: a record
/// with no <see cref="BatchId"/> waits for the anchoring worker.
/// </summary>
public sealed class StoredRecord
{
    private static readonly JsonSerializerOptions ProofJson = new(JsonSerializerDefaults.Web);

    /// <summary>Ingest order, assigned by the database; the cursor of audit pages and the order records are batched in.</summary>
    public long Id { get; set; }

    /// <summary>The record's EIP-712 digest in the ledger contract's domain: its identity.</summary>
    public Bytes32 Digest { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.ContentHash"/>.</summary>
    public Bytes32 ContentHash { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.PerceptualHash"/>.</summary>
    public Bytes32 PerceptualHash { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.ModelHash"/>.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.Node"/>.</summary>
    public EvmAddress Node { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.Creator"/>.</summary>
    public EvmAddress Creator { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.CreatorCommitment"/>.</summary>
    public Bytes32 CreatorCommitment { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.PromptCommitment"/>.</summary>
    public Bytes32 PromptCommitment { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.ParametersHash"/>.</summary>
    public Bytes32 ParametersHash { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.Timestamp"/> (Unix seconds).</summary>
    public long Timestamp { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.WatermarkId"/>.</summary>
    public Bytes32 WatermarkId { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.Sequence"/>: the node's own sequence number.</summary>
    public long NodeSequence { get; set; }

    /// <summary>See <see cref="ProvenanceRecord.Version"/>.</summary>
    public int Version { get; set; } = ProvenanceRecordVersions.Current;

    /// <summary>See <see cref="ProvenanceRecord.Extensions"/>.</summary>
    public Bytes32 Extensions { get; set; }

    /// <summary>
    /// The parent record a version 2 or 3 record names (<see cref="SignedProvenanceRecord.ParentRecord"/>), whose
    /// extensions' hashStruct the ledger checked equals <see cref="Extensions"/>; null when it names none.
    /// </summary>
    public Bytes32? ParentRecord { get; set; }

    /// <summary>
    /// The picture's PDQ hash a version 3 record commits to (<see cref="ProvenanceRecordExtensionsV3.PdqHash"/>), checked
    /// against <see cref="Extensions"/> at ingest; null for earlier versions.
    /// </summary>
    public Bytes32? PdqHash { get; set; }

    /// <summary>The PDQ quality score (0 to 100) a version 3 record commits to with <see cref="PdqHash"/>; null for earlier versions.</summary>
    public int? PdqQuality { get; set; }

    /// <summary>How the ledger authenticated the record's creator when it accepted the record.</summary>
    public CreatorAuthentication CreatorAuthentication { get; set; }

    /// <summary>
    /// The identity of the creator's proof (<see cref="CreatorClaims.RequestProofId"/>, <see cref="CreatorClaims.VoucherProofId"/>);
    /// unique, so one proof names the creator of one record. Null when the record carries no proof.
    /// </summary>
    public Bytes32? CreatorProofId { get; set; }

    /// <summary>The creator's proof as JSON (<see cref="CreatorProof"/>), kept so anyone can check it again; null when none.</summary>
    public string? CreatorProofJson { get; set; }

    /// <summary>The node's 65-byte signature (r ‖ s ‖ v).</summary>
    public byte[] Signature { get; set; } = [];

    /// <summary>
    /// SHA-256 of the file the node delivered for the record, Content Credentials included
    /// (<see cref="DeliveredFile.FileHash"/>), from the node's statement checked when the record was first
    /// stored; never set later. Null when none came with the record (a text record, an older node) or it did not check.
    /// </summary>
    public Bytes32? DeliveredFileHash { get; set; }

    /// <summary>The node key's 65-byte signature over the <see cref="DeliveredFile"/> statement; set with <see cref="DeliveredFileHash"/>.</summary>
    public byte[]? DeliveredFileSignature { get; set; }

    /// <summary>When the ledger accepted the record.</summary>
    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The batch that anchors the record; null while it waits.</summary>
    public long? BatchId { get; set; }

    /// <summary>The batch, when loaded.</summary>
    public AnchorBatch? Batch { get; set; }

    /// <summary>The record's leaf index in its batch; its ledger sequence is the batch's first sequence plus this.</summary>
    public int? LeafIndex { get; set; }

    /// <summary>The Merkle proof (sibling hashes, 32 bytes each, leaf to root) once batched.</summary>
    public byte[]? Proof { get; set; }

    /// <summary>When the node's operator revoked the record on chain; null when not revoked.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The operator's reason for the revocation.</summary>
    public string? RevocationReason { get; set; }

    /// <summary>The record as the node signed it.</summary>
    public ProvenanceRecord ToRecord() => new(
        ContentHash, PerceptualHash, ModelHash, Node, Creator, CreatorCommitment, PromptCommitment, ParametersHash,
        checked((ulong)Timestamp), WatermarkId, checked((ulong)NodeSequence), checked((ushort)Version))
    {
        Extensions = Extensions,
    };

    /// <summary>The record with its signature, its creator's proof and its node's kept statement of the delivered file.</summary>
    public SignedProvenanceRecord ToSignedRecord() => new(
        ToRecord(), EcdsaSignature.FromBytes(Signature),
        CreatorProofJson is null ? null : JsonSerializer.Deserialize<CreatorProof>(CreatorProofJson, ProofJson),
        DeliveredFile: DeliveredFileStatement())
    {
        ExtensionsV2 = StoredExtensionsV2(),
        ExtensionsV3 = StoredExtensionsV3(),
    };

    /// <summary>
    /// True when the stored extension columns are what the record's version requires and hash to its signed
    /// <see cref="Extensions"/> (a version 1 record: none stored). Ingest checked this; false means the ledger's copy was altered since.
    /// </summary>
    public bool ExtensionsHold() => ProvenanceRecordVersions.IsSupported(checked((ushort)Version))
        && ProvenanceRecordVersions.Check(ToRecord(), StoredExtensionsV2(), StoredExtensionsV3()) is null;

    // Whatever extension columns are set, whatever the version, so that a check sees a column that should not be there.
    private ProvenanceRecordExtensionsV2? StoredExtensionsV2() =>
        Version != ProvenanceRecordVersions.V3 && ParentRecord is { } parent ? new ProvenanceRecordExtensionsV2(parent) : null;

    private ProvenanceRecordExtensionsV3? StoredExtensionsV3() => PdqHash is { } pdq && PdqQuality is { } quality and >= 0 and <= ushort.MaxValue
        ? new ProvenanceRecordExtensionsV3(ParentRecord ?? Bytes32.Zero, pdq, (ushort)quality)
        : null;

    /// <summary>The node's kept statement of the delivered file's hash, with its signature; null when none is kept.</summary>
    public SignedDeliveredFile? DeliveredFileStatement() => DeliveredFileHash is { } hash && DeliveredFileSignature is { } signature
        ? new SignedDeliveredFile(new DeliveredFile(Digest, hash), EcdsaSignature.FromBytes(signature))
        : null;

    /// <summary>The proof as hashes.</summary>
    public IReadOnlyList<Bytes32> ProofHashes() => Proof is null
        ? []
        : Enumerable.Range(0, Proof.Length / Bytes32.Length).Select(i => Bytes32.FromBytes(Proof.AsSpan(i * Bytes32.Length, Bytes32.Length))).ToList();

    /// <summary>A row for a record the ledger accepts now, whose creator claim is <paramref name="creator"/>.</summary>
    public static StoredRecord From(SignedProvenanceRecord signed, Bytes32 digest, DateTimeOffset receivedAt, CreatorClaimCheck creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        var row = From(signed, digest, receivedAt);
        row.CreatorAuthentication = creator.Authentication;
        row.CreatorProofId = creator.ProofId;
        row.CreatorProofJson = signed.CreatorProof is null ? null : JsonSerializer.Serialize(signed.CreatorProof, ProofJson);
        return row;
    }

    /// <summary>A row for a record the ledger accepts now, without a creator proof (tests and tools that store what a node signed).</summary>
    public static StoredRecord From(SignedProvenanceRecord signed, Bytes32 digest, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(signed);
        var record = signed.Record;
        return new StoredRecord
        {
            Digest = digest,
            ContentHash = record.ContentHash,
            PerceptualHash = record.PerceptualHash,
            ModelHash = record.ModelHash,
            Node = record.Node,
            Creator = record.Creator,
            CreatorCommitment = record.CreatorCommitment,
            PromptCommitment = record.PromptCommitment,
            ParametersHash = record.ParametersHash,
            Timestamp = checked((long)record.Timestamp),
            WatermarkId = record.WatermarkId,
            NodeSequence = checked((long)record.Sequence),
            Version = record.Version,
            Extensions = record.Extensions,
            ParentRecord = signed.ParentRecord,
            PdqHash = signed.ExtensionsV3?.PdqHash,
            PdqQuality = signed.ExtensionsV3?.PdqQuality,
            CreatorAuthentication = record.Creator.IsZero && !record.CreatorCommitment.IsZero
                ? CreatorAuthentication.PrivateCommitment
                : CreatorAuthentication.None,
            Signature = signed.Signature.ToArray(),
            ReceivedAt = receivedAt,
        };
    }

    /// <summary>Packs proof hashes into <see cref="Proof"/>'s form.</summary>
    public static byte[] PackProof(IReadOnlyList<Bytes32> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var packed = new byte[proof.Count * Bytes32.Length];
        for (var i = 0; i < proof.Count; i++)
        {
            proof[i].AsSpan().CopyTo(packed.AsSpan(i * Bytes32.Length));
        }

        return packed;
    }
}
