using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>The chain the ledger reads and anchors on. Section <c>Ledger:Chain</c>.</summary>
public sealed class LedgerChainOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Chain";

    /// <summary>
    /// A deployment file (<c>provenance deploy</c> writes one) that fills <see cref="ChainId"/>, <see cref="ModelRegistry"/>,
    /// <see cref="ProvenanceLedger"/>, <see cref="PaymentChannels"/> and <see cref="DeploymentBlock"/>; any of them also set
    /// explicitly must agree with it, else the host refuses to start. Default: <c>null</c>, meaning those settings alone.
    /// </summary>
    public string? DeploymentFile { get; set; }

    /// <summary>The JSON-RPC endpoint of an Ethereum node. Required.</summary>
    [Required]
    public Uri? RpcUrl { get; set; }

    /// <summary>The chain's id (31337 for anvil); configured rather than asked so that the ledger starts while the chain node is away. Required.</summary>
    [Range(1, long.MaxValue)]
    public long ChainId { get; set; }

    /// <summary>The <c>ModelRegistry</c> address. Required.</summary>
    [Required]
    public string? ModelRegistry { get; set; }

    /// <summary>The <c>ProvenanceLedger</c> address. Required.</summary>
    [Required]
    public string? ProvenanceLedger { get; set; }

    /// <summary>
    /// The <c>PaymentChannels</c> address. Default: <c>null</c>: settlements and channels are not
    /// indexed and the settlement API answers 404.
    /// </summary>
    public string? PaymentChannels { get; set; }

    /// <summary>
    /// The anchoring account's encrypted keystore (Web3 Secret Storage). Default: <c>null</c>: the
    /// replica reads and verifies but never anchors.
    /// </summary>
    public string? AnchorerKeystorePath { get; set; }

    /// <summary>A file holding the keystore's passphrase (a mounted secret); never the passphrase itself in configuration.</summary>
    public string? AnchorerPassphraseFile { get; set; }

    /// <summary>
    /// The accounts whose anchored roots this ledger accepts as its own, beside its own anchorer
    /// (<see cref="AnchorerKeystorePath"/>): replicas that only verify list the anchoring replica's
    /// account here. The contract may allow other anchorers; their roots prove nothing about this
    /// ledger's records. Default: none (only the own anchorer's roots).
    /// </summary>
    public IList<string> TrustedAnchorers { get; } = [];

    /// <summary>Blocks after its own that a transaction or event must have before the ledger trusts it. Default: 2.</summary>
    [Range(0, 1_000)]
    public int Confirmations { get; set; } = 2;

    /// <summary>The block the contracts were deployed in: indexers start reading there. Default: 0.</summary>
    [Range(0, long.MaxValue)]
    public long DeploymentBlock { get; set; }

    /// <summary>
    /// Deployments the ledger used before this one (after a contract upgrade, docs/upgrades.md): their records stay
    /// verifiable, new records are accepted and anchored on the current deployment only. Default: none.
    /// </summary>
    public IList<PreviousDeploymentOptions> PreviousDeployments { get; } = [];

    /// <summary>How often indexers and the anchoring worker poll the chain. Default: 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
