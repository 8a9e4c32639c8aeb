using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// One contract deployment the ledger knows: the current one (records are accepted for its domain and anchored on
/// it) or a previous one (its records stay verifiable after a contract upgrade, docs/upgrades.md).
/// </summary>
public sealed class LedgerDeployment
{
    internal LedgerDeployment(
        ProvenanceLedgerClient ledger, PaymentChannelsClient? channels, long chainId, long deploymentBlock, IReadOnlySet<EvmAddress> anchorers,
        bool isCurrent)
    {
        Ledger = ledger;
        Channels = channels;
        ChainId = chainId;
        DeploymentBlock = deploymentBlock;
        Anchorers = anchorers;
        IsCurrent = isCurrent;
    }

    /// <summary>Its <c>ProvenanceLedger</c>: the verifying contract of its records' EIP-712 domain and where its batches are anchored.</summary>
    public ProvenanceLedgerClient Ledger { get; }

    /// <summary>The <c>ProvenanceLedger</c> address.</summary>
    public EvmAddress Address => Ledger.Address;

    /// <summary>The domain its records are signed in.</summary>
    public ContractDomain Domain => Ledger.Domain;

    /// <summary>Its <c>PaymentChannels</c>, whose domain creator vouchers of its records are signed in; null when none is configured.</summary>
    public PaymentChannelsClient? Channels { get; }

    /// <summary>The chain's id.</summary>
    public long ChainId { get; }

    /// <summary>The block it was deployed in: its events are read from there.</summary>
    public long DeploymentBlock { get; }

    /// <summary>The accounts whose roots on it are this ledger's: a root anchored by anyone else proves nothing about its records.</summary>
    public IReadOnlySet<EvmAddress> Anchorers { get; }

    /// <summary>True for the deployment new records are accepted for and anchored on.</summary>
    public bool IsCurrent { get; }

    /// <summary>How answers name it.</summary>
    public AnchoringDeployment ToApi() => new(Address, ChainId, IsCurrent);

    /// <inheritdoc />
    public override string ToString() => $"ProvenanceLedger {Address} on chain {ChainId}{(IsCurrent ? " (current)" : " (previous)")}";
}
