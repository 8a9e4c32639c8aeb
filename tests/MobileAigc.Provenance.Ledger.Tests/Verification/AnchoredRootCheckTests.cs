using System.Numerics;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;
using Nethereum.JsonRpc.Client;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The batch root check on a real anvil: read once when final, kept, and never kept before its confirmations.</summary>
[Collection(LedgerChainCollection.Name)]
public sealed class AnchoredRootCheckTests(LedgerChainFixture chain)
{
    private static readonly IOptions<VerificationOptions> Options = Microsoft.Extensions.Options.Options.Create(new VerificationOptions());

    [Fact]
    public async Task CheckAsync_FinalRoot_IsKeptAndStillAgreesWhileTheChainIsAway()
    {
        var deployment = await chain.DeployAsync();
        var live = ChainWith(deployment, confirmations: 0);
        var kept = new KeptRootCache(16);
        var root = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var (_, transaction) = await AnchorAsync(live, root);

        var first = await VerificationLedger.RootCheck(live, Options, kept).CheckAsync(live.Current, root, CancellationToken.None);

        Assert.Equal(ClaimCheckOutcome.Agrees, first.Outcome);
        Assert.Equal(deployment.Owner.Address, first.Anchorer);
        var checkpoint = first.Checkpoint!;
        Assert.True(checkpoint.Final, first.Detail);
        Assert.True(checkpoint.Block >= (long)transaction.BlockNumber, $"Read at block {checkpoint.Block}, before the root's block {transaction.BlockNumber}.");
        Assert.True(kept.TryGet(live.Current.Address, root, out _));

        var away = ChainWith(deployment, confirmations: 0, new Uri("http://127.0.0.1:9")); // discard port: nothing listens
        var again = await VerificationLedger.RootCheck(away, Options, kept).CheckAsync(away.Current, root, CancellationToken.None);
        Assert.Equal(ClaimCheckOutcome.Agrees, again.Outcome);
        Assert.Equal(checkpoint, again.Checkpoint);
        Assert.Contains($"block {checkpoint.Block}", again.Detail, StringComparison.Ordinal);

        // A root this process never read final cannot be vouched for while the chain is away.
        var other = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        await AnchorAsync(live, other);
        var unread = await VerificationLedger.RootCheck(away, Options, kept).CheckAsync(away.Current, other, CancellationToken.None);
        Assert.Equal(ClaimCheckOutcome.NotChecked, unread.Outcome);
        Assert.Null(unread.Checkpoint);
        Assert.Contains("chain", unread.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_RootWithoutItsConfirmations_IsNotKeptSoAReorganisationThatDropsItShows()
    {
        var deployment = await chain.DeployAsync();
        var live = ChainWith(deployment, confirmations: 2);
        var kept = new KeptRootCache(16);
        var check = VerificationLedger.RootCheck(live, Options, kept);
        var root = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var rpc = new RpcClient(chain.Node.RpcUrl);
        var beforeAnchoring = await rpc.SendRequestAsync<string>(new RpcRequest(1, "evm_snapshot"));
        var (_, transaction) = await AnchorAsync(live, root);

        var recent = await check.CheckAsync(live.Current, root, CancellationToken.None);

        Assert.Equal(ClaimCheckOutcome.Agrees, recent.Outcome);
        Assert.False(recent.Checkpoint!.Final, recent.Detail);
        Assert.Equal((long)transaction.BlockNumber, recent.Checkpoint.Block);
        Assert.Equal(0, kept.Count);

        Assert.True(await rpc.SendRequestAsync<bool>(new RpcRequest(2, "evm_revert", beforeAnchoring)));
        await MineAsync(rpc, 3); // the other branch grows past the dropped block
        var dropped = await check.CheckAsync(live.Current, root, CancellationToken.None);
        Assert.Equal(ClaimCheckOutcome.Disagrees, dropped.Outcome);
        Assert.False(dropped.Checkpoint!.Final);

        // A fresh account view: the first one counted the dropped transaction's nonce.
        var (_, again) = await AnchorAsync(ChainWith(deployment, confirmations: 2), root);
        await MineAsync(rpc, 2);
        var final = await check.CheckAsync(live.Current, root, CancellationToken.None);
        Assert.Equal(ClaimCheckOutcome.Agrees, final.Outcome);
        Assert.True(final.Checkpoint!.Final, final.Detail);
        Assert.True(final.Checkpoint.Block >= (long)again.BlockNumber);
        Assert.True(kept.TryGet(live.Current.Address, root, out _));
    }

    [Fact]
    public async Task CheckAsync_ConcurrentRequestsForOneRoot_AllAgree()
    {
        var deployment = await chain.DeployAsync();
        var live = ChainWith(deployment, confirmations: 0);
        var kept = new KeptRootCache(16);
        var check = VerificationLedger.RootCheck(live, Options, kept);
        var root = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        await AnchorAsync(live, root);

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => check.CheckAsync(live.Current, root, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal(ClaimCheckOutcome.Agrees, r.Outcome));
        Assert.Single(results.Select(r => r.Checkpoint).Distinct());
    }

    [Fact]
    public async Task CheckAsync_RootNeverAnchored_DisagreesAndIsNotKept()
    {
        var deployment = await chain.DeployAsync();
        var live = ChainWith(deployment, confirmations: 0);
        var kept = new KeptRootCache(16);

        var result = await VerificationLedger.RootCheck(live, Options, kept).CheckAsync(live.Current, Bytes32.Sha256("never anchored"u8), CancellationToken.None);

        Assert.Equal(ClaimCheckOutcome.Disagrees, result.Outcome);
        Assert.Null(result.Anchorer);
        Assert.Equal(0, kept.Count);
    }

    private static LedgerChain ChainWith(TestDeployment deployment, int confirmations, Uri? rpcUrl = null)
    {
        var options = deployment.Chain.Options;
        return LedgerChain.Open(
            new LedgerChainOptions
            {
                RpcUrl = rpcUrl ?? options.RpcUrl,
                ChainId = options.ChainId,
                ModelRegistry = options.ModelRegistry,
                ProvenanceLedger = options.ProvenanceLedger,
                Confirmations = confirmations,
                PollInterval = options.PollInterval,
                DeploymentBlock = options.DeploymentBlock,
            },
            deployment.Owner.Key);
    }

    private static async Task<(BigInteger BatchId, ChainTransaction Transaction)> AnchorAsync(LedgerChain live, Bytes32 root)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = await live.Ledger.NextSequenceAsync(live.Anchorer!.Value, timeout.Token);
        return await live.Ledger.AnchorBatchAsync(root, first, 4, timeout.Token);
    }

    private static async Task MineAsync(RpcClient rpc, int blocks)
    {
        for (var i = 0; i < blocks; i++)
        {
            await rpc.SendRequestAsync(new RpcRequest(i, "evm_mine"));
        }
    }
}
