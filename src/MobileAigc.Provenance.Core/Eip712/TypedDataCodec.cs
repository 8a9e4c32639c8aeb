using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.EIP712;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;

namespace MobileAigc.Provenance.Core.Eip712;

/// <summary>
/// Hashes, signs and recovers one EIP-712 struct type, the way OpenZeppelin's
/// <c>_hashTypedDataV4</c> and <c>ECDSA.recover</c> do on chain.
/// </summary>
/// <typeparam name="TMessage">A Nethereum <c>[Struct]</c> class whose <c>[Parameter]</c> order is the type's field order.</typeparam>
internal sealed class TypedDataCodec<TMessage>
    where TMessage : class
{
    private readonly Type[] _types;
    private readonly string _primaryType;

    public TypedDataCodec(string primaryType)
    {
        _primaryType = primaryType;
        _types = [typeof(Domain), typeof(TMessage)];
    }

    /// <summary>The EIP-712 digest: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public Bytes32 Digest(TMessage message, ContractDomain domain) =>
        Bytes32.FromBytes(Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(message, TypedData(domain)));

    /// <summary>A 65-byte r ‖ s ‖ v signature (v = 27 or 28).</summary>
    public byte[] Sign(TMessage message, ContractDomain domain, EthECKey key) =>
        Convert.FromHexString(
            Eip712TypedDataSigner.Current.SignTypedDataV4(message, TypedData(domain), key).AsSpan(2));

    /// <summary>The address that produced <paramref name="signature"/> over the message.</summary>
    public EvmAddress Recover(TMessage message, ContractDomain domain, ReadOnlySpan<byte> signature) =>
        EvmAddress.Parse(Eip712TypedDataSigner.Current.RecoverFromSignatureV4(
            message, TypedData(domain), "0x" + Convert.ToHexStringLower(signature)));

    private TypedData<Domain> TypedData(ContractDomain domain) => new()
    {
        Domain = domain.ToNethereum(),
        Types = MemberDescriptionFactory.GetTypesMemberDescription(_types),
        PrimaryType = _primaryType,
    };
}
