using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Registry;

/// <summary>
/// The EIP-712 encoding of <see cref="CredentialSigningKey"/> in the <c>ModelRegistry</c> domain
/// (<see cref="ContractDomain.ForModelRegistry"/>): the same domain as a node's registration consent,
/// so a binding holds for one chain and one registry only.
/// </summary>
public static class CredentialSigningKeyTypedData
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "CredentialSigningKey(address node,bytes32 certificateHash)";

    private static readonly TypedDataCodec<Message> Codec = new("CredentialSigningKey");

    /// <summary>The statement's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(CredentialSigningKey statement, ContractDomain domain) => Codec.Digest(Message.From(statement), domain);

    /// <summary>Signs the statement with the node key.</summary>
    /// <exception cref="ArgumentException">When the key's address is not <see cref="CredentialSigningKey.Node"/>.</exception>
    public static SignedCredentialSigningKey Sign(CredentialSigningKey statement, ContractDomain domain, EthECKey nodeKey)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(nodeKey);
        if (EvmAddress.Parse(nodeKey.GetPublicAddress()) != statement.Node)
        {
            throw new ArgumentException($"Only the key of node {statement.Node} can bind a signing certificate to it.", nameof(nodeKey));
        }

        return new SignedCredentialSigningKey(statement, EcdsaSignature.FromBytes(Codec.Sign(Message.From(statement), domain, nodeKey)));
    }

    /// <summary>The address whose key produced <paramref name="signature"/> over the statement.</summary>
    public static EvmAddress RecoverSigner(CredentialSigningKey statement, ContractDomain domain, EcdsaSignature signature) =>
        Codec.Recover(Message.From(statement), domain, signature.AsSpan());

    [Struct("CredentialSigningKey")]
    private sealed class Message
    {
        [Parameter("address", "node", 1)] public string Node { get; set; } = "";
        [Parameter("bytes32", "certificateHash", 2)] public byte[] CertificateHash { get; set; } = [];

        public static Message From(CredentialSigningKey statement) => new()
        {
            Node = statement.Node.ToString(),
            CertificateHash = statement.CertificateHash.ToArray(),
        };
    }
}
