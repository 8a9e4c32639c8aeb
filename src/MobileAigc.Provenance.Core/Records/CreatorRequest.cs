using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// What a creator signs (EIP-712, in the ledger's domain: <see cref="CreatorRequestTypedData"/>) to be
/// named as the creator of a record without paying through a channel: "I asked this node for content
/// from this model with this prompt". The record must repeat every value, so the signature cannot be
/// moved to another node, model or prompt; the nonce makes it good for one record only.
/// </summary>
/// <param name="Creator">The creator's address: the signer, and the record's <see cref="ProvenanceRecord.Creator"/>.</param>
/// <param name="Node">The node asked: the record's <see cref="ProvenanceRecord.Node"/>.</param>
/// <param name="ModelHash">The model asked for: the record's <see cref="ProvenanceRecord.ModelHash"/>.</param>
/// <param name="PromptCommitment">
/// The record's <see cref="ProvenanceRecord.PromptCommitment"/>: the creator commits to the prompt with a salt
/// of their own choosing (<see cref="Commitments.Prompt"/>) before the node sees the request.
/// </param>
/// <param name="Nonce">32 random bytes the creator chooses; the ledger accepts one record per (creator, nonce).</param>
public sealed record CreatorRequest(EvmAddress Creator, EvmAddress Node, Bytes32 ModelHash, Bytes32 PromptCommitment, Bytes32 Nonce)
{
    /// <summary>The request a record claims its creator signed, with <paramref name="nonce"/>.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    public static CreatorRequest Of(ProvenanceRecord record, Bytes32 nonce)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Creator, record.Node, record.ModelHash, record.PromptCommitment, nonce);
    }
}
