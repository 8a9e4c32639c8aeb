using System.CommandLine;
using System.Globalization;
using System.Numerics;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Marketplace;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance dev fund ADDRESS… --ether N [--when-below M]</c>: on a development chain (anvil, or any node that speaks
/// <c>anvil_setBalance</c>), sets the balance of each account holding less than M ETH (default N) to N ETH so that it can
/// pay gas. An account holding M already is left alone, so running it again after some gas was spent changes nothing.
/// A real chain refuses the method: the command says so.
/// </summary>
internal static class DevChainCommand
{
    private static readonly BigInteger WeiPerEther = BigInteger.Pow(10, 18);

    public static Command Create()
    {
        var rpc = ChainOptions.Rpc();
        var ether = new Option<int>("--ether") { Description = "The balance each account holds at least afterwards, in whole ETH (1 to 1,000,000).", DefaultValueFactory = _ => 100 };
        var whenBelow = new Option<int?>("--when-below") { Description = "Fund only accounts holding less than this many ETH (1 to --ether). Default: --ether." };
        var addresses = new Argument<string[]>("address") { Description = "The accounts to fund.", Arity = ArgumentArity.OneOrMore };
        var fund = new Command("fund", "Set the balance of accounts holding less than --when-below ETH to --ether ETH on a development chain (anvil_setBalance); nothing for the others.")
        {
            addresses, rpc, ether, whenBelow,
        };
        fund.SetAction((parse, cancellationToken) => CliErrors.RunAsync("dev fund", async () =>
        {
            var amount = parse.GetValue(ether);
            if (amount is < 1 or > 1_000_000)
            {
                throw new ArgumentException($"--ether must be between 1 and 1,000,000; got {amount}.");
            }

            var threshold = parse.GetValue(whenBelow) ?? amount;
            if (threshold < 1 || threshold > amount)
            {
                throw new ArgumentException($"--when-below must be between 1 and --ether ({amount}); got {threshold}.");
            }

            var accounts = parse.GetValue(addresses)!.Select(text => MarketplaceArguments.Address("address", text)).ToList();
            var chain = await ChainConnection.OpenAsync(parse.GetValue(rpc)!);
            var web3 = new Web3(chain.Rpc.ToString());
            var target = amount * WeiPerEther;
            foreach (var account in accounts)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var balance = (await web3.Eth.GetBalance.SendRequestAsync(account.ToString())).Value;
                if (balance >= threshold * WeiPerEther)
                {
                    Console.WriteLine($"{account} holds {Ether(balance)} ETH already; left alone");
                    continue;
                }

                try
                {
                    await new RpcClient(chain.Rpc).SendRequestAsync(new RpcRequest(1, "anvil_setBalance", account.ToString(), new HexBigInteger(target).HexValue));
                }
                catch (RpcResponseException e)
                {
                    throw new InvalidOperationException($"The chain node at {chain.Rpc} is not a development chain (anvil_setBalance: {e.Message}); fund {account} by a transfer instead.", e);
                }

                Console.WriteLine($"{account} funded: {Ether(balance)} -> {amount} ETH");
            }

            return 0;
        }));

        return new Command("dev", "Development chain helpers (anvil only).") { fund };
    }

    private static string Ether(BigInteger wei) =>
        BigInteger.Divide(wei, WeiPerEther).ToString(CultureInfo.InvariantCulture) + "."
        + (BigInteger.Remainder(wei, WeiPerEther) / BigInteger.Pow(10, 12)).ToString("000000", CultureInfo.InvariantCulture);
}
