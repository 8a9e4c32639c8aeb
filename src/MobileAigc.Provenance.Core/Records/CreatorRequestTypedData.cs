using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The EIP-712 encoding of <see cref="CreatorRequest"/>. Signed in the <c>ProvenanceLedger</c> domain
/// (the one records are signed in), so a request signature is bound to one chain and one ledger
/// deployment. Checked off chain only: the ledger service and the edge node.
/// </summary>
public static class CreatorRequestTypedData
{
    /// <summary>The EIP-712 type string; its field order is the encoding order.</summary>
    public const string TypeString =
        "CreatorRequest(address creator,address node,bytes32 modelHash,bytes32 promptCommitment,bytes32 nonce)";

    private const int WordLength = FastTypedData.WordLength;

    private static readonly TypedDataCodec<Message> Codec = new("CreatorRequest");

    private static readonly byte[] TypeHashBytes = FastTypedData.TypeHash(TypeString);

    /// <summary>The request's EIP-712 digest in <paramref name="domain"/>.</summary>
    public static Bytes32 Digest(CreatorRequest request, ContractDomain domain) => Codec.Digest(Message.From(request), domain);

    /// <summary>Signs the request with the creator's key.</summary>
    public static EcdsaSignature Sign(CreatorRequest request, ContractDomain domain, EthECKey creatorKey) =>
        EcdsaSignature.FromBytes(Codec.Sign(Message.From(request), domain, creatorKey));

    /// <summary>
    /// True when <paramref name="signature"/> is <see cref="CreatorRequest.Creator"/> signing exactly
    /// this request in the domain whose separator is <paramref name="domainSeparator"/>; false for any
    /// other signer, a changed field, another domain, or a signature that recovers to no key. Written
    /// directly (no reflection) for the ledger, which checks one per record.
    /// </summary>
    /// <param name="request">The request the record claims.</param>
    /// <param name="signature">The creator's signature.</param>
    /// <param name="domainSeparator">The EIP-712 separator of the ledger's domain (<see cref="RecordSignatureVerifier.DomainSeparator"/>).</param>
    /// <exception cref="ArgumentNullException">When <paramref name="request"/> or <paramref name="signature"/> is null.</exception>
    public static bool IsSignedByCreator(CreatorRequest request, EcdsaSignature signature, Bytes32 domainSeparator)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signature);
        Span<byte> encoded = stackalloc byte[6 * WordLength];
        encoded.Clear();
        TypeHashBytes.CopyTo(encoded);
        FastTypedData.WriteAddress(request.Creator, encoded.Slice(WordLength, WordLength));
        FastTypedData.WriteAddress(request.Node, encoded.Slice(2 * WordLength, WordLength));
        request.ModelHash.AsSpan().CopyTo(encoded[(3 * WordLength)..]);
        request.PromptCommitment.AsSpan().CopyTo(encoded[(4 * WordLength)..]);
        request.Nonce.AsSpan().CopyTo(encoded[(5 * WordLength)..]);
        Span<byte> digest = stackalloc byte[WordLength];
        FastTypedData.WriteDigest(domainSeparator.AsSpan(), encoded, digest);
        Span<byte> recovered = stackalloc byte[FastTypedData.AddressLength];
        if (!FastTypedData.TryRecoverAddress(digest, signature, NativeSecp256k1Recovery.IsAvailable, recovered))
        {
            return false;
        }

        Span<byte> creator = stackalloc byte[FastTypedData.AddressLength];
        FastTypedData.WriteAddressBytes(request.Creator, creator);
        return !request.Creator.IsZero && recovered.SequenceEqual(creator);
    }

    [Struct("CreatorRequest")]
    private sealed class Message
    {
        [Parameter("address", "creator", 1)] public string Creator { get; set; } = "";
        [Parameter("address", "node", 2)] public string Node { get; set; } = "";
        [Parameter("bytes32", "modelHash", 3)] public byte[] ModelHash { get; set; } = [];
        [Parameter("bytes32", "promptCommitment", 4)] public byte[] PromptCommitment { get; set; } = [];
        [Parameter("bytes32", "nonce", 5)] public byte[] Nonce { get; set; } = [];

        public static Message From(CreatorRequest request) => new()
        {
            Creator = request.Creator.ToString(),
            Node = request.Node.ToString(),
            ModelHash = request.ModelHash.ToArray(),
            PromptCommitment = request.PromptCommitment.ToArray(),
            Nonce = request.Nonce.ToArray(),
        };
    }
}
