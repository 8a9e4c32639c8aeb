using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Ingest;

/// <summary>Per-node ingest quotas: one node cannot flood the ledger, and nobody can spend another node's quota.</summary>
public sealed class NodeIngestQuotaTests(SqliteDatabases databases) : IClassFixture<SqliteDatabases>
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly ContractDomain _domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly EthECKey _otherNodeKey = EthECKey.GenerateKey();
    private readonly Bytes32 _model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
    private readonly FakeTimeProvider _time = new(Now);

    [Fact]
    public async Task IngestAsync_OverTheNodeQuota_RefusesTheRestUntilTheWindowReopens()
    {
        var (ingestor, db) = await NewIngestorAsync(quota: 3);

        var outcomes = await ingestor.IngestAsync(SignedRecords.Batch(_domain, _nodeKey, _model, 1, 5, Now));
        var next = (await ingestor.IngestAsync([SignedRecords.Make(_domain, _nodeKey, _model, 6, Now)])).Single();
        var otherNode = (await ingestor.IngestAsync([SignedRecords.Make(_domain, _otherNodeKey, _model, 1, Now)])).Single();

        Assert.Equal([true, true, true, false, false], outcomes.Select(o => o.Accepted));
        Assert.All(outcomes.Skip(3), o => Assert.Equal(RecordProblemTypes.IngestQuotaExceeded, o.Refusal?.ProblemType));
        Assert.Equal(RecordRefusalReason.QuotaExceeded, next.Refusal?.Reason);
        Assert.True(otherNode.Accepted, "each node has its own quota");
        Assert.False(RecordProblemTypes.IsPermanent(RecordProblemTypes.IngestQuotaExceeded), "the node's outbox must retry a record refused for its quota");

        _time.Advance(TimeSpan.FromMinutes(1));
        var retried = await ingestor.IngestAsync(SignedRecords.Batch(_domain, _nodeKey, _model, 4, 3, Now));
        Assert.All(retried, o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(7, await context.Records.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_RecordsForgedInTheNodesName_DoNotSpendItsQuota()
    {
        var (ingestor, _) = await NewIngestorAsync(quota: 2);
        var stranger = EthECKey.GenerateKey();
        var forged = Enumerable.Range(1, 50).Select(i => SignedRecords.Make(_domain, _nodeKey, _model, (ulong)i, Now, signer: stranger)).ToList();

        var refused = await ingestor.IngestAsync(forged);
        var genuine = await ingestor.IngestAsync(SignedRecords.Batch(_domain, _nodeKey, _model, 100, 2, Now));

        Assert.All(refused, o => Assert.Equal(RecordRefusalReason.InvalidSignature, o.Refusal?.Reason));
        Assert.All(genuine, o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
    }

    private async Task<(RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Database)> NewIngestorAsync(int quota)
    {
        var db = await databases.NewDatabaseAsync();
        await using (var context = await db.CreateDbContextAsync())
        {
            var owner = EvmAddress.Parse("0x00000000000000000000000000000000000000dd");
            context.Models.Add(new MirroredModel { ModelHash = _model, Owner = owner, MetadataUri = "ipfs://m", Active = true });
            foreach (var key in new[] { _nodeKey, _otherNodeKey })
            {
                var node = EvmAddress.Parse(key.GetPublicAddress());
                context.Nodes.Add(new MirroredNode { Node = node, Operator = owner, Registered = true });
                context.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = _model });
                context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = _model, Node = node });
            }

            await context.SaveChangesAsync();
        }

        var options = new RecordIngestOptions { NodeQuotaRecords = quota, NodeQuotaWindow = TimeSpan.FromMinutes(1) };
        var verifier = new RecordSignatureVerifier(_domain);
        var ingestor = new RecordIngestor(db, verifier, new RegistryMirror(db), new CreatorProofChecker(verifier, channels: null),
            Options.Create(options), _time, NullLogger<RecordIngestor>.Instance);
        return (ingestor, db);
    }
}
