namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// A contract deployment the ledger used before the current one (section <c>Ledger:Chain:PreviousDeployments:N</c>):
/// its records stay verifiable (signature in its EIP-712 domain, roots on its <c>ProvenanceLedger</c>, by its
/// anchorers), but nothing new is accepted for it or anchored on it. Give either <see cref="DeploymentFile"/> (the file
/// <c>provenance deploy</c> wrote) or <see cref="ProvenanceLedger"/>; values set here win over the file's.
/// </summary>
public sealed class PreviousDeploymentOptions
{
    /// <summary>
    /// The deployment file of that deployment (<c>MobileAigc.Provenance.Chain.Deployment.DeploymentFile</c>): its
    /// chain id, <c>ProvenanceLedger</c>, <c>PaymentChannels</c> and deployment block. Default: <c>null</c>.
    /// </summary>
    public string? DeploymentFile { get; set; }

    /// <summary>Its <c>ProvenanceLedger</c> address. Required unless <see cref="DeploymentFile"/> names it.</summary>
    public string? ProvenanceLedger { get; set; }

    /// <summary>
    /// Its chain's id. Default: the deployment file's, else the current deployment's. It must be the current
    /// deployment's chain: the ledger reads one chain.
    /// </summary>
    public long? ChainId { get; set; }

    /// <summary>
    /// Its <c>PaymentChannels</c> address, so that creator vouchers of its records still verify. Default: the
    /// deployment file's, else none (a voucher-proved creator of its records then does not re-check).
    /// </summary>
    public string? PaymentChannels { get; set; }

    /// <summary>The block it was deployed in: the reconciliation reads its events from there. Default: the deployment file's, else 0.</summary>
    public long? DeploymentBlock { get; set; }

    /// <summary>
    /// The accounts that anchored this ledger's batches on it: a root on it proves a record only when one of them
    /// anchored it. Default: none listed, which means the current anchorers (<see cref="LedgerChainOptions.TrustedAnchorers"/>
    /// and the replica's own anchorer), right when the same anchoring key moved to the new deployment.
    /// </summary>
    public IList<string> Anchorers { get; } = [];
}
