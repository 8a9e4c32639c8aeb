using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>
/// What a model owner does with its own key: registers the node's models (commit, then reveal), approves the
/// provider's node to serve them, and takes its royalties out. A creator who had a model fine-tuned is one too: they
/// register the derivative under its parent and approve the node that holds it.
/// </summary>
internal sealed class ModelOwner(Script script, ProvenanceContracts contracts, Actor owner)
{
    /// <summary>Its address.</summary>
    public EvmAddress Address => owner.Address;

    /// <summary>
    /// Registers the image model at <paramref name="imagePrice"/> with <paramref name="royaltyBasisPoints"/>, and the text
    /// model free (with the same royalty on what its derivatives earn), by commit-reveal: both commitments first (they hide the hashes), then both reveals once the
    /// commitments are old enough.
    /// </summary>
    public async Task RegisterModelsAsync(ServedModelInfo image, ServedModelInfo text, BigInteger imagePrice, ushort royaltyBasisPoints, CancellationToken cancellationToken)
    {
        var registry = contracts.RegistryFor(owner.Web3);
        ModelClaim[] claims =
        [
            ModelClaim.Create(image.ModelHash, $"model://{image.Name}", imagePrice, royaltyBasisPoints),
            ModelClaim.Create(text.ModelHash, $"model://{text.Name}", 0, royaltyBasisPoints),
        ];
        ulong committedAt = 0;
        foreach (var claim in claims)
        {
            committedAt = (await registry.CommitModelAsync(claim, cancellationToken)).BlockNumber;
        }

        script.Step("Model owner committed to its two models",
            $"commitments {string.Join(", ", claims.Select(c => c.CommitmentBy(owner.Address)))} (each hides a model hash under a secret salt and names the owner), last in block {committedAt}; a reveal needs them {ModelRegistryClient.MinCommitmentAge} blocks old");
        // This anvil mines only per transaction: the deployment's block waiter mines the blocks a real chain would make meanwhile.
        await registry.WaitUntilRevealableAsync(committedAt, cancellationToken);
        ulong revealedAt = 0;
        foreach (var claim in claims)
        {
            revealedAt = (await registry.RevealModelAsync(claim, cancellationToken)).BlockNumber;
        }

        script.Step("Model owner revealed and registered the node's models",
            $"in block {revealedAt} (anvil_mine made the blocks in between): {image.Name} = {image.ModelHash} at {Ether.Format(imagePrice)} ETH per image, royalty {royaltyBasisPoints / 100} % (at most {ModelRegistryClient.MaxRoyaltyBasisPoints / 100} % a model); {text.Name} = {text.ModelHash}, free, royalty {royaltyBasisPoints / 100} % of what its derivatives earn; both closed to nodes until approved");
    }

    /// <summary>Approves the provider's node to serve both models, and shows it authorised.</summary>
    public async Task ApproveNodeAsync(ServedNode node, CancellationToken cancellationToken)
    {
        var registry = contracts.RegistryFor(owner.Web3);
        await registry.SetNodeApprovalAsync(node.Image.ModelHash, node.Node, approved: true, cancellationToken);
        await registry.SetNodeApprovalAsync(node.Text.ModelHash, node.Node, approved: true, cancellationToken);
        var authorised = await registry.IsNodeAuthorizedAsync(node.Node, node.Image.ModelHash, cancellationToken)
            && await registry.IsNodeAuthorizedAsync(node.Node, node.Text.ModelHash, cancellationToken);
        if (!authorised)
        {
            throw new InvalidOperationException($"Node {node.Node} is not authorised for its models after the owner's approval.");
        }

        script.Step("Model owner approved the node for both models", $"node {node.Node} is now authorised for both (registered, serving, approved); the owner can withdraw an approval at any time");
    }

    /// <summary>
    /// Registers the fine-tuned <paramref name="job"/>'s model as a derivative of its parent at <paramref name="price"/> with
    /// <paramref name="royaltyBasisPoints"/> (commit, then reveal), then approves <paramref name="node"/> (which holds its only
    /// copy) to serve it.
    /// </summary>
    public async Task RegisterDerivativeAsync(FineTuneJob job, EvmAddress node, BigInteger price, ushort royaltyBasisPoints, CancellationToken cancellationToken)
    {
        var derivative = job.DerivativeHash ?? throw new InvalidOperationException($"Job {job.JobId} made no model.");
        var registry = contracts.RegistryFor(owner.Web3);
        var claim = ModelClaim.Create(derivative, $"model://{job.Name}", price, royaltyBasisPoints, job.Parent);
        var committedAt = (await registry.CommitModelAsync(claim, cancellationToken)).BlockNumber;
        await registry.WaitUntilRevealableAsync(committedAt, cancellationToken);
        var revealedAt = (await registry.RevealModelAsync(claim, cancellationToken)).BlockNumber;
        await registry.SetNodeApprovalAsync(derivative, node, approved: true, cancellationToken);
        var lineage = await registry.GetRoyaltyLineageAsync(derivative, cancellationToken);
        script.Step($"Creator registered {job.Name} as a derivative and approved the node",
            $"commitment in block {committedAt}, reveal in block {revealedAt}: {derivative}, parent {job.Parent}, owner {(await registry.GetModelAsync(derivative, cancellationToken)).Owner}, {Ether.Format(price)} ETH per text, royalty {royaltyBasisPoints / 100} %; "
            + $"royalty lineage (root first): {string.Join(" → ", lineage.Select(l => $"{l.ModelHash.ToString()[..10]}… {l.RoyaltyBasisPoints / 100} % to {l.Owner}"))}; node {node} approved to serve it");
    }

    /// <summary>Withdraws its royalty credit.</summary>
    public async Task WithdrawAsync(CancellationToken cancellationToken) => await contracts.ChannelsFor(owner.Web3).WithdrawAsync(EvmAddress.Zero, cancellationToken);
}
