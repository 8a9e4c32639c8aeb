using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The EIP-712 encoding of <see cref="ProvenanceRecord"/>, byte for byte what
/// <c>ProvenanceLedger.hashRecord</c> computes on chain.
/// </summary>
public static class ProvenanceRecordTypedData
{
    /// <summary>The EIP-712 type string; its field order is the encoding order.</summary>
    public const string TypeString =
        "ProvenanceRecord(uint16 version,bytes32 contentHash,bytes32 perceptualHash,bytes32 modelHash,address node,address creator," +
        "bytes32 creatorCommitment,bytes32 promptCommitment,bytes32 parametersHash,uint64 timestamp,bytes32 watermarkId,uint64 sequence," +
        "bytes32 extensions)";

    private static readonly TypedDataCodec<Message> Codec = new("ProvenanceRecord");

    /// <summary>The record's EIP-712 digest in <paramref name="domain"/>: what the node signs and the ledger anchors.</summary>
    public static Bytes32 Digest(ProvenanceRecord record, ContractDomain domain) =>
        Codec.Digest(Message.From(record), domain);

    /// <summary>Signs the record with the node's key.</summary>
    public static EcdsaSignature Sign(ProvenanceRecord record, ContractDomain domain, EthECKey nodeKey) =>
        EcdsaSignature.FromBytes(Codec.Sign(Message.From(record), domain, nodeKey));

    /// <summary>The address whose key produced <paramref name="signature"/> over the record.</summary>
    public static EvmAddress RecoverSigner(ProvenanceRecord record, ContractDomain domain, EcdsaSignature signature) =>
        Codec.Recover(Message.From(record), domain, signature.AsSpan());

    /// <summary>True when <paramref name="signature"/> is the record's node signing this record.</summary>
    public static bool IsSignedByNode(ProvenanceRecord record, ContractDomain domain, EcdsaSignature signature) =>
        RecoverSigner(record, domain, signature) == record.Node;

    [Struct("ProvenanceRecord")]
    private sealed class Message
    {
        [Parameter("uint16", "version", 1)] public ushort Version { get; set; }
        [Parameter("bytes32", "contentHash", 2)] public byte[] ContentHash { get; set; } = [];
        [Parameter("bytes32", "perceptualHash", 3)] public byte[] PerceptualHash { get; set; } = [];
        [Parameter("bytes32", "modelHash", 4)] public byte[] ModelHash { get; set; } = [];
        [Parameter("address", "node", 5)] public string Node { get; set; } = "";
        [Parameter("address", "creator", 6)] public string Creator { get; set; } = "";
        [Parameter("bytes32", "creatorCommitment", 7)] public byte[] CreatorCommitment { get; set; } = [];
        [Parameter("bytes32", "promptCommitment", 8)] public byte[] PromptCommitment { get; set; } = [];
        [Parameter("bytes32", "parametersHash", 9)] public byte[] ParametersHash { get; set; } = [];
        [Parameter("uint64", "timestamp", 10)] public ulong Timestamp { get; set; }
        [Parameter("bytes32", "watermarkId", 11)] public byte[] WatermarkId { get; set; } = [];
        [Parameter("uint64", "sequence", 12)] public ulong Sequence { get; set; }
        [Parameter("bytes32", "extensions", 13)] public byte[] Extensions { get; set; } = [];

        public static Message From(ProvenanceRecord record) => new()
        {
            Version = record.Version,
            ContentHash = record.ContentHash.ToArray(),
            PerceptualHash = record.PerceptualHash.ToArray(),
            ModelHash = record.ModelHash.ToArray(),
            Node = record.Node.ToString(),
            Creator = record.Creator.ToString(),
            CreatorCommitment = record.CreatorCommitment.ToArray(),
            PromptCommitment = record.PromptCommitment.ToArray(),
            ParametersHash = record.ParametersHash.ToArray(),
            Timestamp = record.Timestamp,
            WatermarkId = record.WatermarkId.ToArray(),
            Sequence = record.Sequence,
            Extensions = record.Extensions.ToArray(),
        };
    }
}
