using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.ModelRegistry;
using MobileAigc.Provenance.Chain.Generated.PaymentChannels;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;
using RegistryAbi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;
using ChannelsAbi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;
using LedgerAbi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Deployment;

/// <summary>Where the three contracts of one deployment live.</summary>
/// <param name="ChainId">The chain they are deployed on.</param>
/// <param name="ModelRegistry">The <c>ModelRegistry</c> address.</param>
/// <param name="ProvenanceLedger">The <c>ProvenanceLedger</c> address.</param>
/// <param name="PaymentChannels">The <c>PaymentChannels</c> address.</param>
public sealed record ProvenanceContracts(
    BigInteger ChainId, EvmAddress ModelRegistry, EvmAddress ProvenanceLedger, EvmAddress PaymentChannels)
{
    /// <summary>
    /// Deploys the registry, the ledger (owned by the sending account, which is also made an
    /// anchorer) and the payment channels, in that order, from the account behind <paramref name="web3"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled; the
    /// contracts sent so far may still be mined.</exception>
    public static Task<ProvenanceContracts> DeployAsync(IWeb3 web3, CancellationToken cancellationToken = default) =>
        DeployAsync(web3, progress: null, cancellationToken);

    /// <summary>
    /// Deploys as <see cref="DeployAsync(IWeb3, CancellationToken)"/> does, telling <paramref name="progress"/>
    /// (when given) each <see cref="DeploymentStep"/> as its transaction is mined. The result's
    /// <see cref="DeploymentBlock"/> is the block of the registry's deployment, the first of the four.
    /// </summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled; the
    /// contracts sent so far may still be mined.</exception>
    /// <exception cref="ContractRevertException">When a deployment or the anchorer grant reverts.</exception>
    public static async Task<ProvenanceContracts> DeployAsync(
        IWeb3 web3, IProgress<DeploymentStep>? progress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        var owner = web3.TransactionManager.Account?.Address
            ?? throw new InvalidOperationException("Deploying needs a Web3 with a signing account.");
        cancellationToken.ThrowIfCancellationRequested();
        var chainId = (await web3.Eth.ChainId.SendRequestAsync()).Value;

        var registry = await RevertDecoder.SendAsync("ModelRegistry", cancellation =>
            ModelRegistryService.DeployContractAndWaitForReceiptAsync(web3, new RegistryAbi.ModelRegistryDeployment(), cancellation),
            cancellationToken);
        progress?.Report(DeploymentStep.ModelRegistry);
        var ledger = await RevertDecoder.SendAsync("ProvenanceLedger", cancellation =>
            ProvenanceLedgerService.DeployContractAndWaitForReceiptAsync(web3, new LedgerAbi.ProvenanceLedgerDeployment
            {
                Registry = registry.ContractAddress,
                InitialOwner = owner,
            }, cancellation), cancellationToken);
        progress?.Report(DeploymentStep.ProvenanceLedger);
        var channels = await RevertDecoder.SendAsync("PaymentChannels", cancellation =>
            PaymentChannelsService.DeployContractAndWaitForReceiptAsync(web3, new ChannelsAbi.PaymentChannelsDeployment
            {
                Registry = registry.ContractAddress,
            }, cancellation), cancellationToken);
        progress?.Report(DeploymentStep.PaymentChannels);

        var contracts = new ProvenanceContracts(chainId, EvmAddress.Parse(registry.ContractAddress),
            EvmAddress.Parse(ledger.ContractAddress), EvmAddress.Parse(channels.ContractAddress))
        {
            DeploymentBlock = (ulong)registry.BlockNumber.Value,
        };
        await contracts.LedgerFor(web3).SetAnchorerAsync(EvmAddress.Parse(owner), allowed: true, cancellationToken);
        progress?.Report(DeploymentStep.DeployerAnchorer);
        return contracts;
    }

    /// <summary>
    /// The block the registry was deployed in: event scans of this deployment start there. Zero when not
    /// known (contracts described by their addresses only), which scans the whole chain.
    /// </summary>
    public ulong DeploymentBlock { get; init; }

    /// <summary>
    /// How the registry clients of this deployment wait for a model commitment to age: null polls the chain
    /// (a real chain mines on its own); a local dev chain that mines only per transaction sets one that mines
    /// (<see cref="DevChain.AnvilNode.MineUntilAsync"/>).
    /// </summary>
    public BlockWaiter? AwaitBlock { get; init; }

    /// <summary>A <see cref="ModelRegistryClient"/> that sends from the account behind <paramref name="web3"/>.</summary>
    public ModelRegistryClient RegistryFor(IWeb3 web3) => new(web3, ModelRegistry, AwaitBlock);

    /// <summary>A <see cref="ProvenanceLedgerClient"/> that sends from the account behind <paramref name="web3"/>.</summary>
    public ProvenanceLedgerClient LedgerFor(IWeb3 web3) => new(web3, ProvenanceLedger, ChainId);

    /// <summary>A <see cref="PaymentChannelsClient"/> that sends from the account behind <paramref name="web3"/>.</summary>
    public PaymentChannelsClient ChannelsFor(IWeb3 web3) => new(web3, PaymentChannels, ChainId);
}
