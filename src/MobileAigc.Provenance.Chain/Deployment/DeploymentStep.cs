namespace MobileAigc.Provenance.Chain.Deployment;

/// <summary>The steps of <see cref="ProvenanceContracts.DeployAsync(Nethereum.Web3.IWeb3, IProgress{DeploymentStep}?, CancellationToken)"/>, in order.</summary>
public enum DeploymentStep
{
    /// <summary>The <c>ModelRegistry</c> is deployed.</summary>
    ModelRegistry,

    /// <summary>The <c>ProvenanceLedger</c> is deployed, owned by the deployer.</summary>
    ProvenanceLedger,

    /// <summary>The <c>PaymentChannels</c> contract is deployed.</summary>
    PaymentChannels,

    /// <summary>The deployer is made an anchorer of the ledger contract.</summary>
    DeployerAnchorer,
}
