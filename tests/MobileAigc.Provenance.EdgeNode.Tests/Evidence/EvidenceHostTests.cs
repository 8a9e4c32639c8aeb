using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Availability;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Tests.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests.Evidence;

/// <summary>
/// The node process keeps the evidence of its anchored records by itself (ledger stand-in answering the proofs of the
/// roots anchored on a real anvil), serves it, counts it in <c>v1/node</c>, and keeps it through kill -9: restarted
/// without any ledger, its copy still verifies on the chain alone.
/// </summary>
[Collection(PaymentChainCollection.Name)]
public sealed class EvidenceHostTests(PaymentChainFixture chain) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task KillMinusNine_AfterProofsAreKept_TheNodeStillServesAVerifiableCopyWithoutTheLedger()
    {
        var settings = chain.PaymentSettings(
            ("Payments__SettlementEnabled", "false"),
            ("EdgeNode__ProvenanceLedger", chain.Contracts.ProvenanceLedger.ToString()),
            ("Evidence__PollInterval", "00:00:00.100"),
            ("Evidence__MaxBackoff", "00:00:00.500"),
            ("Evidence__Confirmations", "0"));
        var domain = ContractDomain.ForProvenanceLedger(chain.Contracts.ChainId, chain.Contracts.ProvenanceLedger);
        var deployment = new AnchoringDeployment(chain.Contracts.ProvenanceLedger, (long)chain.Contracts.ChainId, true);
        List<Bytes32> digests;
        await using var ledger = await LedgerStandIn.StartAsync();
        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger.BaseAddress, settings))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path);
            var provider = await chain.RegisterHostNodeAsync(_dir.Path);
            var creator = await chain.NewAccountAsync();
            var channel = await chain.OpenChannelAsync(creator, provider, chain.TextModel, 100 * PaymentChainFixture.TextPrice);
            for (ulong nonce = 1; nonce <= 3; nonce++)
            {
                var response = await http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5,
                    Payment: chain.Pay(creator.Key, channel, nonce * PaymentChainFixture.TextPrice, nonce)));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            await EdgeNodeHostTests.WaitUntilAsync(() => ledger.Received.Count == 3);
            var records = ledger.Received.Values.OrderBy(r => r.Record.Sequence).ToList();
            digests = [.. records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, domain))];
            var tree = MerkleTree.Build(digests);
            var anchorer = chain.Contracts.LedgerFor(chain.ModelOwner.Web3);
            var first = await anchorer.NextSequenceAsync(chain.ModelOwner.Address);
            var (chainBatchId, tx) = await anchorer.AnchorBatchAsync(tree.Root, first, 3);
            var batch = new LedgerBatch(1, tree.Root, (long)first, 3, BatchState.Anchored, DateTimeOffset.UnixEpoch, Bytes32.Parse(tx.Hash),
                (long)tx.BlockNumber, null, null, (long)chainBatchId, null, chain.Contracts.ProvenanceLedger);
            for (var i = 0; i < 3; i++)
            {
                ledger.Evidence[digests[i]] = new RecordEvidence(records[i],
                    new RecordProof(digests[i], MerkleTree.LeafOf(digests[i]), tree.GetProof(i), tree.Root, i, (long)first + i, batch), deployment);
            }

            await WaitUntilAsync(async () => (await http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!.ProvenRecords == 3);
            using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
            var proof = await anonymous.GetFromJsonAsync<RecordEvidence>(EdgeRoutes.RecordProof(digests[1]), Json);
            Assert.Equal(tree.Root, proof!.Inclusion.Root);
            Assert.Equal(records[1].Record, proof.SignedRecord.Record);
            var missing = await anonymous.GetAsync(EdgeRoutes.RecordProof(Bytes32.Sha256([1])));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains(EdgeNodeProblemTypes.EvidenceNotKept, await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync("v1/records/not-a-digest/proof")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(EdgeRoutes.NodeEvidence)).StatusCode);
            node.Kill();
        }

        await using var restarted = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, settings);
        using var after = EdgeNodeHost.ProviderClient(restarted, _dir.Path);
        var copy = await after.GetFromJsonAsync<List<RecordEvidence>>(EdgeRoutes.NodeEvidence, Json);
        Assert.NotNull(copy);
        Assert.Equal(digests, copy.Select(e => e.Inclusion.RecordDigest));
        var resumed = await after.GetFromJsonAsync<List<RecordEvidence>>(
            $"{EdgeRoutes.NodeEvidence}?after={copy[0].SignedRecord.Record.Sequence.ToString(CultureInfo.InvariantCulture)}", Json);
        Assert.Equal(digests.Skip(1), resumed!.Select(e => e.Inclusion.RecordDigest));
        foreach (var evidence in copy)
        {
            Assert.Equal(EvidenceFault.None, EvidenceCheck.Check(evidence));
            Assert.True((await AnchoredRoots.CheckAsync(chain.ModelOwner.Web3, evidence)).Anchored);
        }
    }

    public void Dispose() => _dir.Dispose();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(60), "condition not met within 60 s");
            await Task.Delay(100);
        }
    }
}
