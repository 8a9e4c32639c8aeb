using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Registry;

/// <summary>
/// The EIP-712 encoding of <see cref="NodeConsent"/>, byte for byte what
/// <c>ModelRegistry.hashNodeConsent</c> computes on chain.
/// </summary>
public static class NodeConsentTypedData
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "NodeConsent(address node,address operator,uint256 nonce,uint256 deadline)";

    private static readonly TypedDataCodec<Message> Codec = new("NodeConsent");

    /// <summary>The consent's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(NodeConsent consent, ContractDomain domain) => Codec.Digest(Message.From(consent), domain);

    /// <summary>Signs the consent with the node key; throws when <paramref name="nodeKey"/> is not the consent's node.</summary>
    /// <exception cref="ArgumentException">When the key's address is not <see cref="NodeConsent.Node"/>.</exception>
    public static SignedNodeConsent Sign(NodeConsent consent, ContractDomain domain, EthECKey nodeKey)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(nodeKey);
        if (EvmAddress.Parse(nodeKey.GetPublicAddress()) != consent.Node)
        {
            throw new ArgumentException($"Only the key of node {consent.Node} can sign its consent.", nameof(nodeKey));
        }

        return new SignedNodeConsent(consent, EcdsaSignature.FromBytes(Codec.Sign(Message.From(consent), domain, nodeKey)));
    }

    /// <summary>The address whose key produced <paramref name="signature"/> over the consent.</summary>
    public static EvmAddress RecoverSigner(NodeConsent consent, ContractDomain domain, EcdsaSignature signature) =>
        Codec.Recover(Message.From(consent), domain, signature.AsSpan());

    [Struct("NodeConsent")]
    private sealed class Message
    {
        [Parameter("address", "node", 1)] public string Node { get; set; } = "";
        [Parameter("address", "operator", 2)] public string Operator { get; set; } = "";
        [Parameter("uint256", "nonce", 3)] public BigInteger Nonce { get; set; }
        [Parameter("uint256", "deadline", 4)] public BigInteger Deadline { get; set; }

        public static Message From(NodeConsent consent) => new()
        {
            Node = consent.Node.ToString(),
            Operator = consent.Operator.ToString(),
            Nonce = consent.Nonce,
            Deadline = consent.Deadline,
        };
    }
}
