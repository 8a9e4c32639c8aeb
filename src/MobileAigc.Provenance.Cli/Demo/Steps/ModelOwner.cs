using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>What the model owner does with its own key: registers the node's models and takes its royalties out.</summary>
internal sealed class ModelOwner(Script script, ProvenanceContracts contracts, Actor owner)
{
    /// <summary>Its address.</summary>
    public EvmAddress Address => owner.Address;

    /// <summary>Registers the image model at <paramref name="imagePrice"/> with <paramref name="royaltyBasisPoints"/>, and the text model free.</summary>
    public async Task RegisterModelsAsync(ServedModelInfo image, ServedModelInfo text, BigInteger imagePrice, ushort royaltyBasisPoints, CancellationToken cancellationToken)
    {
        var registry = contracts.RegistryFor(owner.Web3);
        await registry.RegisterModelAsync(image.ModelHash, $"model://{image.Name}", imagePrice, royaltyBasisPoints, cancellationToken);
        await registry.RegisterModelAsync(text.ModelHash, $"model://{text.Name}", 0, 0, cancellationToken);
        script.Step("Model owner registered the node's models",
            $"{image.Name} = {image.ModelHash} at {Ether.Format(imagePrice)} ETH per image, royalty {royaltyBasisPoints / 100} %; {text.Name} = {text.ModelHash}, free");
    }

    /// <summary>Withdraws its royalty credit.</summary>
    public async Task WithdrawAsync(CancellationToken cancellationToken) => await contracts.ChannelsFor(owner.Web3).WithdrawAsync(EvmAddress.Zero, cancellationToken);
}
