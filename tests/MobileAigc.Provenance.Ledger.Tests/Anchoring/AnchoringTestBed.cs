using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Anchoring;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.JsonRpc.Client;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>A deployment, a ledger database and the means to fill the outbox and run workers over them.</summary>
internal sealed class AnchoringTestBed(TestDeployment deployment, IDbContextFactory<LedgerDbContext> databases, Uri rpcUrl)
{
    private static long _nodeSequence;

    public TestDeployment Deployment { get; } = deployment;

    public IDbContextFactory<LedgerDbContext> Databases { get; } = databases;

    public LedgerChain Chain => Deployment.Chain;

    public static async Task<AnchoringTestBed> CreateAsync(LedgerChainFixture chain, LedgerDatabases databases) =>
        new(await chain.DeployAsync(), await databases.NewDatabaseAsync(), chain.Node.RpcUrl);

    /// <summary>The deployment's chain access with other options (another RPC endpoint, confirmations).</summary>
    public LedgerChain ChainWith(Uri? rpcUrl = null, int? confirmations = null)
    {
        var options = Deployment.Chain.Options;
        return LedgerChain.Open(
            new LedgerChainOptions
            {
                RpcUrl = rpcUrl ?? options.RpcUrl,
                ChainId = options.ChainId,
                ModelRegistry = options.ModelRegistry,
                ProvenanceLedger = options.ProvenanceLedger,
                Confirmations = confirmations ?? options.Confirmations,
                PollInterval = options.PollInterval,
                DeploymentBlock = options.DeploymentBlock,
            },
            Deployment.Owner.Key);
    }

    public AnchoringWorker NewWorker(TimeProvider time, AnchoringOptions? options = null, LedgerChain? chain = null, string? replica = null)
    {
        options ??= new AnchoringOptions();
        options.ReplicaName = replica ?? $"replica-{Guid.NewGuid():N}";
        return new AnchoringWorker(Databases, chain ?? Chain, Options.Create(options), time, NullLogger<AnchoringWorker>.Instance);
    }

    /// <summary>Accepts <paramref name="count"/> freshly signed records, as ingest would.</summary>
    public async Task<List<StoredRecord>> AcceptRecordsAsync(int count, DateTimeOffset receivedAt)
    {
        var node = EvmAddress.Parse(Deployment.NodeKey.GetPublicAddress());
        var rows = new List<StoredRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var record = new ProvenanceRecord(
                Random32(), Random32(), Deployment.ModelHash, node, EvmAddress.FromBytes(RandomNumberGenerator.GetBytes(20)),
                Random32(), Random32(), Random32(), (ulong)receivedAt.ToUnixTimeSeconds(), Random32(),
                (ulong)Interlocked.Increment(ref _nodeSequence));
            var signature = ProvenanceRecordTypedData.Sign(record, Chain.Domain, Deployment.NodeKey);
            rows.Add(StoredRecord.From(new SignedProvenanceRecord(record, signature), ProvenanceRecordTypedData.Digest(record, Chain.Domain), receivedAt));
        }

        await using var db = await Databases.CreateDbContextAsync();
        db.Records.AddRange(rows);
        await db.SaveChangesAsync();
        return rows;
    }

    /// <summary>Runs passes until the worker is idle (nothing unfinished, nothing due); fails after <paramref name="maxPasses"/>.</summary>
    public static async Task<List<AnchoringStep>> DrainAsync(AnchoringWorker worker, int maxPasses = 100)
    {
        var steps = new List<AnchoringStep>();
        for (var pass = 0; pass < maxPasses; pass++)
        {
            var step = await worker.RunOnceAsync();
            steps.Add(step);
            if (step is AnchoringStep.Idle or AnchoringStep.NotLeaseHolder)
            {
                return steps;
            }
        }

        throw new TimeoutException($"The worker did not become idle in {maxPasses} passes: {string.Join(", ", steps)}.");
    }

    /// <summary>
    /// One pass, repeated while it only finds the sent transaction not yet visible (<see cref="AnchoringStep.Waiting"/>,
    /// or <see cref="AnchoringStep.Sent"/> for the identical transaction sent again; see <see cref="RunPastResendAsync"/>).
    /// Gives up after a minute.
    /// </summary>
    public static Task<AnchoringStep> RunPastWaitingAsync(AnchoringWorker worker) =>
        RunWhileAsync(worker, AnchoringStep.Waiting, AnchoringStep.Sent);

    /// <summary>
    /// One pass, repeated while it sends the batch's transaction again (<see cref="AnchoringStep.Sent"/>): while anvil
    /// mines a transaction it is for a moment in neither its pool nor a block (longer on a busy machine), and the
    /// worker rightly broadcasts the identical transaction, which changes nothing. Gives up after a minute.
    /// </summary>
    public static Task<AnchoringStep> RunPastResendAsync(AnchoringWorker worker) => RunWhileAsync(worker, AnchoringStep.Sent);

    /// <summary>
    /// Passes (each only waiting, or sending the identical transaction again) until the worker has seen its one batch
    /// mined, still short of its confirmations: its block hash stored. Gives up after a minute.
    /// </summary>
    public async Task<AnchorBatch> RunUntilSeenMinedAsync(AnchoringWorker worker)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var step = await worker.RunOnceAsync();
            Assert.Contains(step, new[] { AnchoringStep.Waiting, AnchoringStep.Sent });
            var batch = Assert.Single(await BatchesAsync());
            if (batch.BlockHash is not null)
            {
                return batch;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the worker did not see its batch mined within a minute");
        }
    }

    private static async Task<AnchoringStep> RunWhileAsync(AnchoringWorker worker, params AnchoringStep[] repeat)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var step = await worker.RunOnceAsync();
            if (!repeat.Contains(step) || clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                return step;
            }
        }
    }

    /// <summary>
    /// How many transactions of the anchorer the chain holds (its mined nonce): what "sent once" means on chain. A batch's
    /// <see cref="AnchorBatch.SubmitAttempts"/> also counts identical re-broadcasts, which anvil may prompt while it mines.
    /// </summary>
    public async Task<long> AnchorerTransactionCountAsync() =>
        (long)(await Chain.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(
            Chain.Anchorer!.Value.ToString(), Nethereum.RPC.Eth.DTOs.BlockParameter.CreateLatest())).Value;

    public async Task<List<AnchorBatch>> BatchesAsync()
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.Batches.AsNoTracking().OrderBy(b => b.FirstSequence).ToListAsync();
    }

    public async Task<List<StoredRecord>> RecordsAsync()
    {
        await using var db = await Databases.CreateDbContextAsync();
        return await db.Records.AsNoTracking().Include(r => r.Batch).OrderBy(r => r.Id).ToListAsync();
    }

    /// <summary>How many batches on chain this ledger's anchorer anchored (the contract counts per anchorer; it may allow others).</summary>
    public async Task<int> ChainBatchCountAsync() => (int)await Chain.Ledger.BatchCountAsync(Chain.Anchorer!.Value);

    /// <summary>Checks what exactly-once means: every record in one anchored batch, whose proof the contract accepts; batches contiguous; as many on chain as stored.</summary>
    public async Task AssertAllAnchoredExactlyOnceAsync(int expectedRecords)
    {
        var batches = await BatchesAsync();
        var records = await RecordsAsync();
        Assert.Equal(expectedRecords, records.Count);
        Assert.All(batches, b => Assert.Equal(AnchorBatchState.Anchored, b.State));
        Assert.All(batches, b => Assert.Null(b.PendingRecordIds));
        Assert.Equal(batches.Count, await ChainBatchCountAsync());
        var next = 0L;
        foreach (var batch in batches)
        {
            Assert.Equal(next, batch.FirstSequence);
            next += batch.RecordCount;
            var onChain = await Chain.Ledger.GetBatchAsync(batch.Root);
            Assert.NotNull(onChain);
            Assert.Equal(batch.ChainBatchId, (long)onChain.BatchId);
            Assert.Equal((ulong)batch.FirstSequence, onChain.FirstSequence);
            Assert.Equal((ulong)batch.BlockNumber!.Value, onChain.BlockNumber);
            Assert.Equal(Chain.Anchorer, onChain.Anchorer);
        }

        Assert.Equal(expectedRecords, next);
        Assert.All(records, r => Assert.NotNull(r.BatchId));
        Assert.Equal(
            Enumerable.Range(0, expectedRecords).Select(i => (long)i),
            records.Select(r => r.Batch!.FirstSequence + r.LeafIndex!.Value).Order());
        // Every proof is checked locally; on chain all of them in small tests and a spread sample
        // (first and last leaf of every batch included) in large ones, to keep the suite fast.
        var onChainEvery = records.Count <= 100 ? 1 : 97;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            Assert.Equal(record.Batch!.Root, MerkleTree.ComputeRoot(record.Digest, record.ProofHashes()));
            var edge = record.LeafIndex == 0 || record.LeafIndex == record.Batch.RecordCount - 1;
            if (i % onChainEvery == 0 || edge)
            {
                Assert.True(await Chain.Ledger.VerifyInclusionAsync(record.Batch.Root, record.Digest, record.ProofHashes()),
                    $"Record {record.Id} does not verify on chain.");
            }
        }
    }

    /// <summary>Mines <paramref name="blocks"/> empty blocks.</summary>
    public async Task MineAsync(int blocks)
    {
        var client = new RpcClient(rpcUrl);
        for (var i = 0; i < blocks; i++)
        {
            await client.SendRequestAsync(new RpcRequest(i, "evm_mine"));
        }
    }

    /// <summary>Takes an anvil snapshot (<c>evm_snapshot</c>).</summary>
    public async Task<string> SnapshotAsync() =>
        await new RpcClient(rpcUrl).SendRequestAsync<string>(new RpcRequest(1, "evm_snapshot"));

    /// <summary>Rewinds the chain to a snapshot (<c>evm_revert</c>), dropping every later block and its transactions: a reorganisation.</summary>
    public async Task RevertAsync(string snapshot) =>
        Assert.True(await new RpcClient(rpcUrl).SendRequestAsync<bool>(new RpcRequest(1, "evm_revert", snapshot)));

    /// <summary>Turns anvil's mining of every transaction on or off (<c>evm_setAutomine</c>): off, transactions wait in its pool until <see cref="MineAsync"/>.</summary>
    public async Task SetAutomineAsync(bool on) =>
        await new RpcClient(rpcUrl).SendRequestAsync(new RpcRequest(1, "evm_setAutomine", on));

    /// <summary>Removes a pending transaction from anvil's pool (<c>anvil_dropTransaction</c>), as a node that lost it would.</summary>
    public async Task DropTransactionAsync(string hash) =>
        await new RpcClient(rpcUrl).SendRequestAsync(new RpcRequest(1, "anvil_dropTransaction", hash));

    /// <summary>The signed bytes of a transaction the node knows (<c>eth_getRawTransactionByHash</c>).</summary>
    public async Task<string> RawTransactionAsync(string hash) =>
        await new RpcClient(rpcUrl).SendRequestAsync<string>(new RpcRequest(1, "eth_getRawTransactionByHash", hash));

    /// <summary>Hands signed bytes to the node (<c>eth_sendRawTransaction</c>).</summary>
    public async Task<string> SendRawAsync(string raw) =>
        await new RpcClient(rpcUrl).SendRequestAsync<string>(new RpcRequest(1, "eth_sendRawTransaction", raw));

    /// <summary>Whether the node's pool still holds the transaction unmined.</summary>
    public async Task<bool> IsPendingAsync(string hash)
    {
        var transaction = await Chain.Web3.Eth.Transactions.GetTransactionByHash.SendRequestAsync(hash);
        return transaction is not null && transaction.BlockNumber?.Value is null;
    }

    private static Bytes32 Random32() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(32));
}
