using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// A contract deployment the ledger ran with: written at the first start with it (<c>Chain.DeploymentSwitch</c>), so
/// that a later start with another deployment knows which one the stored records belong to and whether it may switch.
/// </summary>
public sealed class LedgerDeploymentRow
{
    /// <summary>Order of use: the highest is the deployment the ledger runs with.</summary>
    public long Id { get; set; }

    /// <summary>The chain's id.</summary>
    public long ChainId { get; set; }

    /// <summary>The <c>ProvenanceLedger</c>: the records' EIP-712 domain and where batches are anchored.</summary>
    public EvmAddress ProvenanceLedger { get; set; }

    /// <summary>The <c>ModelRegistry</c> the registry mirror followed.</summary>
    public EvmAddress ModelRegistry { get; set; }

    /// <summary>The <c>PaymentChannels</c> the settlement mirror followed; null when none.</summary>
    public EvmAddress? PaymentChannels { get; set; }

    /// <summary>The block the deployment was made in.</summary>
    public long DeploymentBlock { get; set; }

    /// <summary>When the ledger first started with it (the ledger's clock).</summary>
    public DateTimeOffset ActivatedAt { get; set; }
}
