using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Client;

/// <summary>
/// How a creator proves a request is theirs: they choose the prompt salt and a fresh nonce, and sign
/// <see cref="CreatorRequest"/> (node, model, prompt commitment, nonce) in the ledger's EIP-712 domain.
/// The node names them in the record only with this signature (or their paying voucher).
/// </summary>
public static class CreatorRequests
{
    /// <summary>The identity to send with a request for <paramref name="prompt"/> to <paramref name="node"/> and <paramref name="modelHash"/>, signed with <paramref name="creatorKey"/>.</summary>
    /// <param name="creatorKey">The creator's key; never leaves this process.</param>
    /// <param name="node">The node's address (<c>GET v1/node</c>).</param>
    /// <param name="modelHash">The model that will serve the request (<c>GET v1/models</c>).</param>
    /// <param name="prompt">The prompt, committed with a salt chosen here.</param>
    /// <param name="ledgerDomain">The ledger's domain the node signs records in (<c>GET v1/node</c>).</param>
    /// <exception cref="ArgumentNullException">When a reference argument is null.</exception>
    public static CreatorIdentity Sign(EthECKey creatorKey, EvmAddress node, Bytes32 modelHash, string prompt, ContractDomain ledgerDomain)
    {
        ArgumentNullException.ThrowIfNull(creatorKey);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(ledgerDomain);
        var creator = EvmAddress.Parse(creatorKey.GetPublicAddress());
        var salt = Commitments.NewSalt();
        var nonce = Bytes32.FromBytes(RandomNumberGenerator.GetBytes(Bytes32.Length));
        var request = new CreatorRequest(creator, node, modelHash, Commitments.Prompt(prompt, salt), nonce);
        return new CreatorIdentity(creator, Signature: new CreatorRequestSignature(salt, nonce, CreatorRequestTypedData.Sign(request, ledgerDomain, creatorKey)));
    }
}
