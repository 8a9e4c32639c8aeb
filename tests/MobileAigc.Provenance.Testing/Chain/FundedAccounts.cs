using System.Numerics;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace MobileAigc.Provenance.Testing.Chain;

/// <summary>A funded account on a dev chain: its key, its address and a Web3 that sends from it.</summary>
/// <param name="Key">The private key.</param>
/// <param name="Address">Its address.</param>
/// <param name="Web3">Sends EIP-1559 transactions signed with <paramref name="Key"/>.</param>
public sealed record FundedAccount(EthECKey Key, EvmAddress Address, IWeb3 Web3);

/// <summary>Fresh accounts with ether on an anvil, for tests and benchmarks that send transactions.</summary>
public static class FundedAccounts
{
    /// <summary>What <see cref="CreateAsync"/> gives by default: 100 ETH, in wei.</summary>
    public static readonly BigInteger HundredEth = BigInteger.Pow(10, 20);

    /// <summary>A fresh random key whose balance anvil sets to <paramref name="wei"/> (default <see cref="HundredEth"/>).</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled first.</exception>
    public static async Task<FundedAccount> CreateAsync(AnvilNode anvil, BigInteger? wei = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anvil);
        var key = EthECKey.GenerateKey();
        var account = new Account(key, (BigInteger)anvil.ChainId);
        var address = EvmAddress.Parse(account.Address);
        await anvil.SetBalanceAsync(address, wei ?? HundredEth, cancellationToken);
        var web3 = anvil.Web3For(account);
        // EIP-1559 transactions, as the ledger and the CLI send them.
        web3.TransactionManager.UseLegacyAsDefault = false;
        return new FundedAccount(key, address, web3);
    }
}
