using System.Numerics;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>One participant: a fresh key of its own, funded on the local anvil, sending its own transactions.</summary>
/// <param name="Key">Its key; it never leaves the demo.</param>
/// <param name="Address">Its address.</param>
/// <param name="Web3">A Web3 that signs as it.</param>
internal sealed record Actor(EthECKey Key, EvmAddress Address, IWeb3 Web3)
{
    /// <summary>A new actor holding 100 ETH.</summary>
    public static async Task<Actor> FundedAsync(AnvilNode anvil, CancellationToken cancellationToken)
    {
        var key = EthECKey.GenerateKey();
        var account = new Account(key, (BigInteger)anvil.ChainId);
        var address = EvmAddress.Parse(account.Address);
        await anvil.SetBalanceAsync(address, 100 * Ether.Wei, cancellationToken);
        return new Actor(key, address, anvil.Web3For(account));
    }
}

/// <summary>Everyone who takes part in the round trip besides the edge node, which holds its own key.</summary>
/// <param name="LedgerOperator">Deploys the contracts and runs the ledger, which anchors with this key.</param>
/// <param name="ModelOwner">Registers the node's models and receives royalties.</param>
/// <param name="Provider">Operates the edge node: registers its key and advertises its endpoint.</param>
/// <param name="Creator">Opens a payment channel and asks the node for content.</param>
internal sealed record Actors(Actor LedgerOperator, Actor ModelOwner, Actor Provider, Actor Creator)
{
    /// <summary>Four new funded actors.</summary>
    public static async Task<Actors> FundedAsync(AnvilNode anvil, CancellationToken cancellationToken) => new(
        await Actor.FundedAsync(anvil, cancellationToken), await Actor.FundedAsync(anvil, cancellationToken),
        await Actor.FundedAsync(anvil, cancellationToken), await Actor.FundedAsync(anvil, cancellationToken));
}
