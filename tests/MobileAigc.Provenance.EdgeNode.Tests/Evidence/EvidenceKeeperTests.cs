using System.Diagnostics.Metrics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode.Evidence;
using MobileAigc.Provenance.EdgeNode.Metrics;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;
using MobileAigc.Provenance.EdgeNode.Tests.Payments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests.Evidence;

/// <summary>
/// The keeper against a real anvil and a ledger stand-in that answers honestly or lies: nothing a lying ledger hands the
/// node is kept, each lie is refused with its reason, and honest evidence is kept once its root is confirmed on chain.
/// </summary>
[Collection(PaymentChainCollection.Name)]
public sealed class EvidenceKeeperTests(PaymentChainFixture chain) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private LedgerStandIn _ledger = null!;
    private RecordOutbox _outbox = null!;
    private ProvenanceRecordIssuer _issuer = null!;

    private ContractDomain Domain => ContractDomain.ForProvenanceLedger(chain.Contracts.ChainId, chain.Contracts.ProvenanceLedger);

    private AnchoringDeployment Deployment => new(chain.Contracts.ProvenanceLedger, (long)chain.Contracts.ChainId, true);

    private ProvenanceLedgerClient Anchorer => chain.Contracts.LedgerFor(chain.ModelOwner.Web3);

    public async Task InitializeAsync()
    {
        _ledger = await LedgerStandIn.StartAsync();
        _outbox = RecordOutbox.Open(_dir.File("outbox.db"), EvmAddress.Parse(_nodeKey.GetPublicAddress()));
        _issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, _outbox, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _outbox.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task KeepDue_HonestEvidence_KeptWithTheNodesOwnRecord()
    {
        var records = Delivered(3);
        var evidence = await AnchorAsync(records);
        foreach (var e in evidence)
        {
            _ledger.Evidence[e.Inclusion.RecordDigest] = e;
        }

        var pass = await Keeper(confirmations: 0).KeepDueAsync(CancellationToken.None);

        Assert.Equal(new EvidencePass(3, 3, 0, false), pass);
        var store = new EvidenceStore(_outbox);
        Assert.Equal(3, store.Count());
        var kept = store.Find(evidence[1].Inclusion.RecordDigest)!;
        Assert.Equal(records[1].Record, kept.SignedRecord.Record);
        Assert.Equal(evidence[1].Inclusion.Root, kept.Inclusion.Root);
        Assert.Equal(Deployment with { Current = true }, kept.Deployment);
        Assert.Empty(store.TakeDue(DateTimeOffset.MaxValue, 10));
    }

    [Fact]
    public async Task KeepDue_LyingLedger_KeepsNothingAndRefusesEachLieWithItsReason()
    {
        var records = Delivered(4);
        var honest = await AnchorAsync(records);
        // Another node's record, honestly anchored: not the node's to keep.
        var stranger = EthECKey.GenerateKey();
        var strangersRecord = Sign(stranger, 1);
        var strangers = (await AnchorAsync([strangersRecord]))[0];
        // A root nobody anchored, naming a real anchoring block.
        var unanchoredTree = MerkleTree.Build([honest[1].Inclusion.RecordDigest, Bytes32.Sha256([9])]);
        var notAnchored = honest[1] with
        {
            Inclusion = honest[1].Inclusion with { Root = unanchoredTree.Root, Proof = unanchoredTree.GetProof(0), LeafIndex = 0 },
        };
        _ledger.AnswerEvidence = _ => new RecordEvidenceResponse(
        [
            // A forged proof: another leaf's siblings.
            honest[0] with { Inclusion = honest[0].Inclusion with { Proof = honest[3].Inclusion.Proof } },
            notAnchored,
            // The right proof, another deployment.
            honest[2] with { Deployment = new AnchoringDeployment(chain.Contracts.PaymentChannels, (long)chain.Contracts.ChainId, true) },
            strangers,
        ]);

        var refusals = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new EdgeNodeMetrics(services.GetRequiredService<IMeterFactory>(), () => (0, 0));
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "provenance.node.evidence.refused")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => refusals.Add((string)tags.ToArray().Single(t => t.Key == "reason").Value!));
        listener.Start();

        var pass = await Keeper(confirmations: 0, batchSize: 10, metrics: metrics).KeepDueAsync(CancellationToken.None);

        Assert.Equal(new EvidencePass(4, 0, 4, false), pass);
        Assert.Equal(
            [EvidenceRefusals.BadEvidence, EvidenceRefusals.NotRequested, EvidenceRefusals.OtherDeployment, EvidenceRefusals.RootNotAnchored],
            refusals.Order(StringComparer.Ordinal));
        Assert.Equal(0, new EvidenceStore(_outbox).Count());
        Assert.Empty(new EvidenceStore(_outbox).TakeDue(_time.GetUtcNow(), 10));

        // The same ledger answering honestly afterwards: everything is kept once the records are due again.
        _ledger.AnswerEvidence = null;
        foreach (var e in honest)
        {
            _ledger.Evidence[e.Inclusion.RecordDigest] = e;
        }

        _time.Advance(new EvidenceOptions().PollInterval);
        Assert.Equal(4, (await Keeper(confirmations: 0).KeepDueAsync(CancellationToken.None)).Kept);
    }

    [Fact]
    public async Task KeepDue_RootAnchoredByAnotherAccount_RefusedWhenAnchorersAreListed()
    {
        var records = Delivered(1);
        var evidence = await AnchorAsync(records);
        _ledger.Evidence[evidence[0].Inclusion.RecordDigest] = evidence[0];

        var pass = await Keeper(confirmations: 0, anchorer: chain.Operator.Address).KeepDueAsync(CancellationToken.None);

        Assert.Equal(new EvidencePass(1, 0, 1, false), pass);
        _time.Advance(new EvidenceOptions().PollInterval);
        Assert.Equal(1, (await Keeper(confirmations: 0, anchorer: chain.ModelOwner.Address).KeepDueAsync(CancellationToken.None)).Kept);
    }

    [Fact]
    public async Task KeepDue_RootNotConfirmedYet_KeptOnceTheChainHasTheConfirmations()
    {
        var records = Delivered(2);
        var evidence = await AnchorAsync(records);
        foreach (var e in evidence)
        {
            _ledger.Evidence[e.Inclusion.RecordDigest] = e;
        }

        var keeper = Keeper(confirmations: 3);
        Assert.Equal(new EvidencePass(2, 0, 0, false), await keeper.KeepDueAsync(CancellationToken.None));

        await chain.Anvil.MineUntilAsync((ulong)evidence[0].Inclusion.Batch.BlockNumber!.Value + 3);
        _time.Advance(new EvidenceOptions().PollInterval);

        Assert.Equal(new EvidencePass(2, 2, 0, false), await keeper.KeepDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task KeepDue_RecordNeverAnchored_AskedAgainOnlyAfterItsOwnDoublingBackOff()
    {
        var records = Delivered(1);
        var keeper = Keeper(confirmations: 0);
        var first = new EvidenceOptions().PollInterval;

        // Asked at 0, then not before 5 s, then not before 5 + 10 s: each ask without evidence doubles the record's wait.
        Assert.Equal(1, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);
        Assert.Equal(0, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);
        _time.Advance(first);
        Assert.Equal(1, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);
        _time.Advance(first);
        Assert.Equal(0, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);
        _time.Advance(first);
        Assert.Equal(1, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);

        // Never longer than MaxBackoff, and a record the ledger anchors after all is kept on its next ask.
        var evidence = await AnchorAsync(records);
        _ledger.Evidence[evidence[0].Inclusion.RecordDigest] = evidence[0];
        _time.Advance(new EvidenceOptions().MaxBackoff);
        Assert.Equal(new EvidencePass(1, 1, 0, false), await keeper.KeepDueAsync(CancellationToken.None));
        Assert.Equal(0, (await keeper.KeepDueAsync(CancellationToken.None)).Asked);
    }

    [Fact]
    public async Task KeepDue_LedgerLostDeliveredRecords_SendsThemAgainKeepingTheirBackOff()
    {
        var records = Delivered(2);
        var digests = records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, Domain)).ToList();
        var stranger = Bytes32.Sha256([42]);
        // A ledger restored without them: it names both as unknown, and a digest nobody asked for, which is ignored.
        _ledger.AnswerEvidence = request => new RecordEvidenceResponse([], [.. request.Digests, stranger]);

        var pass = await Keeper(confirmations: 0).KeepDueAsync(CancellationToken.None);

        Assert.Equal(new EvidencePass(2, 0, 0, false, SentAgain: 2), pass);
        Assert.Equal(records.Select(r => r.Record.Sequence), _outbox.TakeDue(10, _time.GetUtcNow()).Select(e => e.Sequence));
        var store = new EvidenceStore(_outbox);
        Assert.Empty(store.TakeDue(DateTimeOffset.MaxValue, 10));

        // Delivered again: asked for again after the back-off they had, not at once.
        _outbox.MarkDelivered(records.Select(r => r.Record.Sequence), _time.GetUtcNow());
        Assert.Empty(store.TakeDue(_time.GetUtcNow(), 10));
        _time.Advance(new EvidenceOptions().PollInterval);
        Assert.Equal(digests, store.TakeDue(_time.GetUtcNow(), 10).Select(r => r.RecordDigest));
    }

    [Fact]
    public async Task KeepDue_ManyRecordsNotAnchored_EachAskedOncePerPassThroughPages()
    {
        Delivered(5);

        var pass = await Keeper(confirmations: 0, batchSize: 2).KeepDueAsync(CancellationToken.None);

        Assert.Equal(new EvidencePass(5, 0, 0, false), pass);
        Assert.Equal(0, (await Keeper(confirmations: 0, batchSize: 2).KeepDueAsync(CancellationToken.None)).Asked);
    }

    [Fact]
    public async Task KeepDue_LedgerAway_StopsThePassWithoutKeepingAnything()
    {
        Delivered(1);
        _ledger.FailWith = System.Net.HttpStatusCode.ServiceUnavailable;
        _ledger.AnswerEvidence = _ => throw new InvalidOperationException("stand-in failure");

        var pass = await Keeper(confirmations: 0).KeepDueAsync(CancellationToken.None);

        Assert.True(pass.Failed);
        Assert.Equal(0, new EvidenceStore(_outbox).Count());
    }

    private EvidenceKeeper Keeper(int confirmations, EvmAddress? anchorer = null, int batchSize = 2, EdgeNodeMetrics? metrics = null)
    {
        var options = new EvidenceOptions { Confirmations = confirmations, BatchSize = batchSize };
        if (anchorer is { } account)
        {
            options.Anchorers.Add(account.ToString());
        }

        return new EvidenceKeeper(new EvidenceStore(_outbox), new HttpClient(), _ledger.BaseAddress, chain.ModelOwner.Web3, Deployment, options,
            _time, NullLogger<EvidenceKeeper>.Instance, metrics);
    }

    // Records the node signed and the ledger accepted.
    private List<SignedProvenanceRecord> Delivered(int count)
    {
        var records = Enumerable.Range(0, count).Select(_ => _issuer.Issue(RecordOutboxTests.Statement())).ToList();
        _outbox.MarkDelivered(records.Select(r => r.Record.Sequence), _time.GetUtcNow());
        return records;
    }

    private SignedProvenanceRecord Sign(EthECKey key, ulong sequence)
    {
        var record = new ProvenanceRecord(
            Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero, Bytes32.Sha256([7]), EvmAddress.Parse(key.GetPublicAddress()),
            EvmAddress.Zero, Bytes32.Zero, Bytes32.Sha256(Guid.NewGuid().ToByteArray()), Bytes32.Zero, 1_800_000_000, Bytes32.Zero, sequence);
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, key));
    }

    // Anchors the records' root from the deployer (an allowed anchorer) and answers each record's honest evidence.
    private async Task<List<RecordEvidence>> AnchorAsync(IReadOnlyList<SignedProvenanceRecord> records)
    {
        var digests = records.Select(r => ProvenanceRecordTypedData.Digest(r.Record, Domain)).ToList();
        var tree = MerkleTree.Build(digests);
        var first = await Anchorer.NextSequenceAsync(chain.ModelOwner.Address);
        var (chainBatchId, tx) = await Anchorer.AnchorBatchAsync(tree.Root, first, (uint)records.Count);
        var batch = new LedgerBatch(1, tree.Root, (long)first, records.Count, BatchState.Anchored, DateTimeOffset.UnixEpoch, Bytes32.Parse(tx.Hash),
            (long)tx.BlockNumber, null, null, (long)chainBatchId, null, chain.Contracts.ProvenanceLedger);
        return [.. records.Select((r, i) => new RecordEvidence(
            r, new RecordProof(digests[i], MerkleTree.LeafOf(digests[i]), tree.GetProof(i), tree.Root, i, (long)first + i, batch), Deployment))];
    }
}
