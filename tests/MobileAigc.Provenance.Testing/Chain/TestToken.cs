using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;

using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Testing.Chain;

/// <summary>
/// The test ERC-20 of contracts/test/mocks (open mint: anyone can create any amount, the kind of
/// token a creator could mint to pay with), deployed from its forge artifact.
/// </summary>
public static class TestToken
{
    /// <summary>Deploys a new token from the account of <paramref name="web3"/>.</summary>
    public static async Task<EvmAddress> DeployAsync(IWeb3 web3)
    {
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.ForgeArtifact("MockERC20.sol", "MockERC20")));
        var abi = artifact.RootElement.GetProperty("abi").GetRawText();
        var bytecode = artifact.RootElement.GetProperty("bytecode").GetProperty("object").GetString()!;
        var receipt = await web3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            abi, bytecode, web3.TransactionManager.Account.Address, new Nethereum.Hex.HexTypes.HexBigInteger(3_000_000), null,
            "Test Token", "TT");
        return EvmAddress.Parse(receipt.ContractAddress);
    }

    /// <summary>Mints <paramref name="amount"/> to <paramref name="to"/> (anyone may).</summary>
    public static async Task MintAsync(IWeb3 web3, EvmAddress token, EvmAddress to, BigInteger amount)
    {
        var mint = web3.Eth.GetContractTransactionHandler<MintFunction>();
        await mint.SendRequestAndWaitForReceiptAsync(token.ToString(), new MintFunction { To = to.ToString(), Amount = amount });
    }

    /// <summary>The token balance of <paramref name="account"/>.</summary>
    public static Task<BigInteger> BalanceOfAsync(IWeb3 web3, EvmAddress token, EvmAddress account) =>
        web3.Eth.ERC20.GetContractService(token.ToString()).BalanceOfQueryAsync(account.ToString());

    [Nethereum.ABI.FunctionEncoding.Attributes.Function("mint")]
    private sealed class MintFunction : Nethereum.Contracts.FunctionMessage
    {
        [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("address", "to", 1)]
        public string To { get; set; } = "";

        [Nethereum.ABI.FunctionEncoding.Attributes.Parameter("uint256", "amount", 2)]
        public BigInteger Amount { get; set; }
    }
}
