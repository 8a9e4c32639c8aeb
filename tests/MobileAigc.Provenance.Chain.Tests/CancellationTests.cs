using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Chain.Tests;

/// <summary>
/// A cancelled token stops a call that waits on the chain. Each test runs its own anvil, since one of
/// them stops mining, which the shared node's other tests must never see.
/// </summary>
public sealed class CancellationTests : IAsyncLifetime
{
    // Far beyond what a cancelled call may take; only reached when cancellation is ignored.
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private AnvilNode _anvil = null!;

    public async Task InitializeAsync() => _anvil = await AnvilNode.StartAsync(new AnvilOptions());

    public async Task DisposeAsync() => await _anvil.DisposeAsync();

    [Fact]
    public async Task RegisterModel_CancelledWhileWaitingForTheReceipt_StopsPromptly()
    {
        var (web3, sender) = await FundedAccountAsync();
        var registry = (await ProvenanceContracts.DeployAsync(web3)).RegistryFor(web3);
        await SetAutomineAsync(false); // the transaction is sent but never mined
        using var cancellation = new CancellationTokenSource();

        var register = registry.RegisterModelAsync(TestData.RandomBytes32(), "ipfs://model", 1, 0, cancellation.Token);
        await WaitForPendingTransactionAsync(web3, sender);
        Assert.False(register.IsCompleted);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => register.WaitAsync(Prompt));
    }

    [Fact]
    public async Task StartAsync_CancelledWhileWaitingForTheNode_StopsPromptly()
    {
        // A stand-in for anvil that never answers: StartAsync waits for its endpoint until cancelled.
        var silent = Path.Combine(Path.GetTempPath(), $"silent-anvil-{Guid.NewGuid():N}.sh");
        await File.WriteAllTextAsync(silent, "#!/bin/sh\nexec sleep 600\n");
        File.SetUnixFileMode(silent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            using var cancellation = new CancellationTokenSource();
            var start = AnvilNode.StartAsync(
                new AnvilOptions { ExecutablePath = silent, StartTimeout = TimeSpan.FromMinutes(10) }, cancellation.Token);
            Assert.False(start.IsCompleted);
            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => start.WaitAsync(Prompt));
        }
        finally
        {
            File.Delete(silent);
        }
    }

    private async Task<(IWeb3 Web3, EvmAddress Address)> FundedAccountAsync()
    {
        var account = await FundedAccounts.CreateAsync(_anvil);
        return (account.Web3, account.Address);
    }

    private Task SetAutomineAsync(bool on) =>
        new RpcClient(_anvil.RpcUrl).SendRequestAsync(new RpcRequest(1, "evm_setAutomine", on));

    // The node holds the transaction once the pending nonce runs ahead of the mined one.
    private static async Task WaitForPendingTransactionAsync(IWeb3 web3, EvmAddress sender)
    {
        var count = web3.Eth.Transactions.GetTransactionCount;
        using var deadline = new CancellationTokenSource(Prompt);
        while ((await count.SendRequestAsync(sender.ToString(), BlockParameter.CreatePending())).Value
               <= (await count.SendRequestAsync(sender.ToString(), BlockParameter.CreateLatest())).Value)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
    }
}
