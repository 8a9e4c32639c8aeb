using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.Imaging.Pdq;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Provenance;

/// <summary>What the node states about one piece of generated content, before it is numbered and signed.</summary>
/// <param name="ContentHash">SHA-256 of the content: for an image, of its encoded file without the C2PA manifest store.</param>
/// <param name="PerceptualHash">The image's 256-bit perceptual hash; zero for text.</param>
/// <param name="ModelHash">The model's id (SHA-256 of its ONNX file).</param>
/// <param name="Creator">The creator's address, or zero when the creator asked for privacy.</param>
/// <param name="CreatorCommitment">The private creator's commitment, or zero.</param>
/// <param name="PromptCommitment">The salted prompt commitment.</param>
/// <param name="ParametersHash">The hash of the generation parameters.</param>
/// <param name="WatermarkId">The watermark's payload, zero-padded to 32 bytes.</param>
/// <param name="ParentRecord">The record of the picture this content was derived from; when set, the record names it.</param>
/// <param name="Pdq">
/// A picture's PDQ hash and quality: when set, the record is version 3 and commits to them (and to the parent, if any);
/// null for text, whose record is version 1 (or 2 with a parent).
/// </param>
public sealed record ContentStatement(
    Bytes32 ContentHash,
    Bytes32 PerceptualHash,
    Bytes32 ModelHash,
    EvmAddress Creator,
    Bytes32 CreatorCommitment,
    Bytes32 PromptCommitment,
    Bytes32 ParametersHash,
    Bytes32 WatermarkId,
    Bytes32? ParentRecord = null,
    PdqHashAndQuality? Pdq = null);

/// <summary>
/// Turns a <see cref="ContentStatement"/> into a signed provenance record: numbers it with the
/// node's next sequence number, stamps the time, signs it EIP-712 with the node's key and stores
/// it in the outbox, in one durable step.
/// </summary>
public sealed class ProvenanceRecordIssuer(EthECKey nodeKey, ContractDomain ledgerDomain, RecordOutbox outbox, TimeProvider time)
{
    /// <summary>The node's address: the signer of every record.</summary>
    public EvmAddress Node { get; } = EvmAddress.Parse(nodeKey.GetPublicAddress());

    /// <summary>The domain records are signed in (the ledger contract on its chain).</summary>
    public ContractDomain Domain => ledgerDomain;

    /// <summary>Numbers, signs and durably stores the record with the creator's proof; returns it once it is safe on disk.</summary>
    /// <param name="statement">What the node states.</param>
    /// <param name="creatorProof">The creator's proof (<see cref="CreatorAuthenticator"/>), passed on to the ledger; null when the record names no creator.</param>
    /// <param name="attach">
    /// Called with the signed record and its digest inside the outbox's transaction, before it commits: returns the record
    /// with what was made from its signature (the delivered file's manifest store and <see cref="SignedDeliveredFile"/>), stored
    /// with it in the same commit. If it throws, nothing is stored and the sequence number stays free. Null: the record alone.
    /// </param>
    public SignedProvenanceRecord Issue(
        ContentStatement statement, CreatorProof? creatorProof = null, Func<SignedProvenanceRecord, Bytes32, SignedProvenanceRecord>? attach = null)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var now = time.GetUtcNow();
        var (version, extensions, v2, v3) = Extensions(statement);
        return outbox.Append(sequence =>
        {
            var record = new ProvenanceRecord(
                statement.ContentHash, statement.PerceptualHash, statement.ModelHash, Node, statement.Creator,
                statement.CreatorCommitment, statement.PromptCommitment, statement.ParametersHash,
                (ulong)now.ToUnixTimeSeconds(), statement.WatermarkId, sequence,
                version)
            {
                Extensions = extensions,
            };
            var signature = ProvenanceRecordTypedData.Sign(record, ledgerDomain, nodeKey);
            var signed = new SignedProvenanceRecord(record, signature, creatorProof) { ExtensionsV2 = v2, ExtensionsV3 = v3 };
            var digest = ProvenanceRecordTypedData.Digest(record, ledgerDomain);
            if (attach is not null)
            {
                var attached = attach(signed, digest);
                if (!ReferenceEquals(attached.Record, record) || !ReferenceEquals(attached.Signature, signature))
                {
                    throw new InvalidOperationException("What was attached to the record changed the record or its signature.");
                }

                signed = attached;
            }

            return (signed, digest);
        }, now);
    }

    // A picture (with its PDQ) is version 3, its parent inside; text is version 2 with a parent, else version 1.
    private static (ushort Version, Bytes32 Extensions, ProvenanceRecordExtensionsV2? V2, ProvenanceRecordExtensionsV3? V3) Extensions(
        ContentStatement statement)
    {
        if (statement.Pdq is { } pdq)
        {
            var v3 = new ProvenanceRecordExtensionsV3(statement.ParentRecord ?? Bytes32.Zero, pdq.Hash.Bits, checked((ushort)pdq.Quality));
            return (ProvenanceRecordVersions.V3, v3.HashStruct(), null, v3);
        }

        return statement.ParentRecord is { } parent && new ProvenanceRecordExtensionsV2(parent) is var v2
            ? (ProvenanceRecordVersions.V2, v2.HashStruct(), v2, null)
            : (ProvenanceRecordVersions.Current, Bytes32.Zero, null, null);
    }

    /// <summary>
    /// The node key's signed statement (<see cref="DeliveredFileTypedData"/>, in the ledger's domain) that the file delivered
    /// for record <paramref name="recordDigest"/> is <paramref name="file"/>, byte for byte.
    /// </summary>
    public SignedDeliveredFile SignDeliveredFile(Bytes32 recordDigest, ReadOnlySpan<byte> file) =>
        DeliveredFileTypedData.Sign(new DeliveredFile(recordDigest, Bytes32.Sha256(file)), ledgerDomain, nodeKey);
}
