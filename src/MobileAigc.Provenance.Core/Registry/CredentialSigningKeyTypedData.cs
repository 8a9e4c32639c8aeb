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

    private static readonly byte[] TypeHash = FastTypedData.TypeHash(TypeString);

    /// <summary>The statement's EIP-712 digest in <paramref name="domain"/>.</summary>
    /// <remarks>Encoded directly (a type hash and two words), as Nethereum's encoder would, without its cost.</remarks>
    public static Bytes32 Digest(CredentialSigningKey statement, ContractDomain domain)
    {
        ArgumentNullException.ThrowIfNull(statement);
        Span<byte> encoded = stackalloc byte[3 * FastTypedData.WordLength];
        TypeHash.CopyTo(encoded);
        FastTypedData.WriteAddress(statement.Node, encoded.Slice(FastTypedData.WordLength, FastTypedData.WordLength));
        statement.CertificateHash.AsSpan().CopyTo(encoded[(2 * FastTypedData.WordLength)..]);
        Span<byte> digest = stackalloc byte[FastTypedData.WordLength];
        FastTypedData.WriteDigest(FastTypedData.DomainSeparator(domain), encoded, digest);
        return Bytes32.FromBytes(digest);
    }

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
    /// <remarks>
    /// Recovers with libsecp256k1 (native, or its C# port where the native library cannot load) rather than Nethereum's
    /// recovery, which costs milliseconds and megabytes per call: the ledger recovers one binding for every manifest
    /// store it is sent, on the ingest request's thread.
    /// </remarks>
    /// <exception cref="InvalidSignatureException">When the signature recovers to no public key (r zero, not below the
    /// curve order, or not the x of a curve point).</exception>
    public static EvmAddress RecoverSigner(CredentialSigningKey statement, ContractDomain domain, EcdsaSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return FastTypedData.TryRecoverSigner(Digest(statement, domain).AsSpan(), signature, NativeSecp256k1Recovery.IsAvailable, out var signer)
            ? signer
            : throw new InvalidSignatureException("The certificate binding's signature recovers to no public key.");
    }

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
