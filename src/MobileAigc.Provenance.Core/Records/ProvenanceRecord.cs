using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// What an edge node states about one piece of content it generated. Signed EIP-712 by the
/// node's key (see <see cref="ProvenanceRecordTypedData"/>) and anchored in a Merkle batch.
/// </summary>
/// <param name="ContentHash">SHA-256 of the delivered file's bytes.</param>
/// <param name="PerceptualHash">256-bit perceptual hash of an image; zero for text.</param>
/// <param name="ModelHash">SHA-256 of the ONNX model file: the model's id in <c>ModelRegistry</c>.</param>
/// <param name="Node">The node's signing address, registered by its operator.</param>
/// <param name="Creator">The creator's address; zero when the creator asked for privacy.</param>
/// <param name="CreatorCommitment">keccak256(abi.encode(creator, salt)) for a private creator; zero otherwise.</param>
/// <param name="PromptCommitment">Salted hash of the prompt: the prompt never leaves the node.</param>
/// <param name="ParametersHash">Hash of the generation parameters (seed, size, sampling settings).</param>
/// <param name="Timestamp">Unix seconds at which the node generated the content.</param>
/// <param name="WatermarkId">The payload embedded in the content's watermark; zero when none.</param>
/// <param name="Sequence">The node's own sequence number, new for every record of that node.</param>
/// <param name="Version">
/// The record format's version (<see cref="ProvenanceRecordVersions"/>): how to read the record and its
/// <see cref="Extensions"/>. Signed first in the EIP-712 type; last here only so that the parameters
/// every version shares keep their places. Default: <see cref="ProvenanceRecordVersions.Current"/>.
/// </param>
/// <remarks>
/// The signed type never changes again: a later version adds its fields behind <see cref="Extensions"/>
/// and says so in <paramref name="Version"/> (see <see cref="ProvenanceRecordVersions"/>).
/// </remarks>
public sealed record ProvenanceRecord(
    Bytes32 ContentHash,
    Bytes32 PerceptualHash,
    Bytes32 ModelHash,
    EvmAddress Node,
    EvmAddress Creator,
    Bytes32 CreatorCommitment,
    Bytes32 PromptCommitment,
    Bytes32 ParametersHash,
    ulong Timestamp,
    Bytes32 WatermarkId,
    ulong Sequence,
    ushort Version = ProvenanceRecordVersions.Current)
{
    /// <summary>
    /// The commitment to the fields a later version adds (the EIP-712 hashStruct of that version's extension
    /// struct); zero in version 1, which adds none. Default: zero. A property, not a parameter with a default:
    /// the OpenAPI schema exporter cannot write a struct parameter's default value.
    /// </summary>
    public Bytes32 Extensions { get; init; }
}
