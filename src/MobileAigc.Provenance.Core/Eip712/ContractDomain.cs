using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI.EIP712;

namespace MobileAigc.Provenance.Core.Eip712;

/// <summary>
/// The EIP-712 domain of one deployed contract: name, version, chain id and the contract's
/// address. Binding every signature to chain and contract is what stops cross-chain and
/// cross-deployment replay.
/// </summary>
/// <param name="Name">The domain name the contract passes to OpenZeppelin's <c>EIP712</c>.</param>
/// <param name="Version">The domain version, "1" for every contract here.</param>
/// <param name="ChainId">The chain id (31337 on a local anvil).</param>
/// <param name="VerifyingContract">The deployed contract's address.</param>
public sealed record ContractDomain(string Name, string Version, BigInteger ChainId, EvmAddress VerifyingContract)
{
    /// <summary>The domain name of <c>ProvenanceLedger</c>.</summary>
    public const string ProvenanceLedgerName = "MobileAigcProvenanceLedger";

    /// <summary>The domain name of <c>PaymentChannels</c>.</summary>
    public const string PaymentChannelsName = "MobileAigcPaymentChannels";

    /// <summary>The domain name of <c>ModelRegistry</c>, under which node keys sign their consent.</summary>
    public const string ModelRegistryName = "MobileAigcModelRegistry";

    /// <summary>The domain of a <c>ProvenanceLedger</c> deployment.</summary>
    public static ContractDomain ForProvenanceLedger(BigInteger chainId, EvmAddress ledger) =>
        new(ProvenanceLedgerName, "1", chainId, ledger);

    /// <summary>The domain of a <c>PaymentChannels</c> deployment.</summary>
    public static ContractDomain ForPaymentChannels(BigInteger chainId, EvmAddress channels) =>
        new(PaymentChannelsName, "1", chainId, channels);

    /// <summary>The domain of a <c>ModelRegistry</c> deployment.</summary>
    public static ContractDomain ForModelRegistry(BigInteger chainId, EvmAddress registry) =>
        new(ModelRegistryName, "1", chainId, registry);

    internal Domain ToNethereum() => new()
    {
        Name = Name,
        Version = Version,
        ChainId = ChainId,
        VerifyingContract = VerifyingContract.ToString(),
    };
}
