using System.Net;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class OutboxDispatcherTests : IAsyncLifetime, IDisposable
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly HttpClient _http = new();
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private RecordOutbox _outbox = null!;
    private LedgerStandIn _ledger = null!;

    public async Task InitializeAsync()
    {
        _outbox = RecordOutbox.Open(_dir.File("outbox.db"), EvmAddress.Parse(_nodeKey.GetPublicAddress()));
        _ledger = await LedgerStandIn.StartAsync();
    }

    [Fact]
    public async Task DeliverDue_LedgerUp_DeliversEveryRecordOnce()
    {
        IssueRecords(7);

        var accepted = await Dispatcher(_ledger.BaseAddress, batchSize: 3).DeliverDueAsync(CancellationToken.None);

        Assert.Equal(7, accepted);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (ulong)i), _ledger.Received.Keys.Order());
        Assert.Equal(new OutboxCounts(0, 7, 0), _outbox.Count());
        Assert.Equal(0, await Dispatcher(_ledger.BaseAddress).DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeliverDue_LedgerFailing_KeepsRecordsAndRetriesAfterBackoff()
    {
        IssueRecords(2);
        _ledger.FailWith = HttpStatusCode.ServiceUnavailable;
        var dispatcher = Dispatcher(_ledger.BaseAddress);

        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(new OutboxCounts(2, 0, 0), _outbox.Count());
        Assert.Contains("503", _outbox.TakeDue(10, _time.GetUtcNow().AddHours(1))[0].LastError);

        _ledger.FailWith = null;
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None)); // backoff not over yet
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, await dispatcher.DeliverDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DeliverDue_LedgerUnreachable_KeepsRecords()
    {
        IssueRecords(1);
        var closedPort = new Uri("http://127.0.0.1:1/");

        Assert.Equal(0, await Dispatcher(closedPort).DeliverDueAsync(CancellationToken.None));

        var entry = Assert.Single(_outbox.TakeDue(10, _time.GetUtcNow().AddHours(1)));
        Assert.Equal(1, entry.Attempts);
    }

    [Theory]
    [InlineData(RecordProblemTypes.NodeNotAuthorized)]
    [InlineData(RecordProblemTypes.UnknownModel)]
    [InlineData(RecordProblemTypes.InvalidTimestamp)]
    [InlineData(RecordProblemTypes.UnknownChannel)]
    [InlineData("urn:example:a-type-this-version-does-not-know")]
    public async Task DeliverDue_RefusedForNow_KeepsTheRecordAndDeliversItLater(string problem)
    {
        IssueRecords(3);
        _ledger.Refuse[2] = problem;
        var dispatcher = Dispatcher(_ledger.BaseAddress);

        Assert.Equal(2, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(new OutboxCounts(1, 2, 0), _outbox.Count());
        Assert.Contains(problem, _outbox.TakeDue(10, _time.GetUtcNow().AddHours(1))[0].LastError);

        // The node gets registered (or the clock catches up): the next attempt after the backoff succeeds.
        _ledger.Refuse.Clear();
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(new OutboxCounts(0, 3, 0), _outbox.Count());
    }

    [Theory]
    [InlineData(RecordProblemTypes.SequenceConflict)]
    [InlineData(RecordProblemTypes.InvalidSignature)]
    [InlineData(RecordProblemTypes.InvalidRequest)]
    [InlineData(RecordProblemTypes.TimestampTooOld)]
    [InlineData(RecordProblemTypes.UnsupportedRecordVersion)]
    [InlineData(RecordProblemTypes.CreatorNotAuthenticated)]
    [InlineData(RecordProblemTypes.InvalidCreatorProof)]
    [InlineData(RecordProblemTypes.CreatorProofReplayed)]
    public async Task DeliverDue_RefusedForGood_HoldsTheRecordAndNeverSendsItAgain(string problem)
    {
        IssueRecords(3);
        _ledger.Refuse[2] = problem;
        var dispatcher = Dispatcher(_ledger.BaseAddress);

        Assert.Equal(2, await dispatcher.DeliverDueAsync(CancellationToken.None));
        IssueRecords(1);
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await dispatcher.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(new OutboxCounts(0, 3, 1), _outbox.Count());
        Assert.Equal(1, _ledger.Submissions[2]);
        var held = Assert.Single(_outbox.Held());
        Assert.Equal(2UL, held.Sequence);
        Assert.StartsWith(problem, held.Problem, StringComparison.Ordinal);
        Assert.Contains("stand-in refusal", held.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverDue_EveryRecordRefusedForGood_HoldsThemInsteadOfRetryingForever()
    {
        IssueRecords(2);
        _ledger.Refuse[1] = RecordProblemTypes.TimestampTooOld;
        _ledger.Refuse[2] = RecordProblemTypes.InvalidTimestamp;
        var dispatcher = Dispatcher(_ledger.BaseAddress);

        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(new OutboxCounts(1, 0, 1), _outbox.Count());
        var held = Assert.Single(_outbox.Held());
        Assert.Equal(1UL, held.Sequence);
        Assert.StartsWith(RecordProblemTypes.TimestampTooOld, held.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RecordProblemTypes.InvalidManifestStore)]
    [InlineData(RecordProblemTypes.ManifestStoreConflict)]
    [InlineData("urn:example:an-attachment-type-this-version-does-not-know")]
    public async Task DeliverDue_AcceptedWithSomethingNotKept_DeliveredNotedAndNeverSentAgain(string problem)
    {
        IssueRecords(3);
        _ledger.NotKeep[2] = new RecordProblem(problem, "the store is not bound to the record's node");
        var dispatcher = Dispatcher(_ledger.BaseAddress);

        Assert.Equal(3, await dispatcher.DeliverDueAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DeliverDueAsync(CancellationToken.None));

        Assert.Equal(new OutboxCounts(0, 3, 0), _outbox.Count());
        Assert.Equal(1, _ledger.Submissions[2]);
        var noted = Assert.Single(_outbox.DeliveredWithNotes());
        Assert.Equal(2UL, noted.Sequence);
        Assert.Equal(_time.GetUtcNow().AddHours(-1), noted.DeliveredAt);
        Assert.Contains(problem, noted.Note, StringComparison.Ordinal);
        Assert.Contains("not bound to the record's node", noted.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeliverDue_NoLedgerConfigured_KeepsEverything()
    {
        IssueRecords(1);

        Assert.Equal(0, await Dispatcher(null).DeliverDueAsync(CancellationToken.None));

        Assert.Equal(new OutboxCounts(1, 0, 0), _outbox.Count());
    }

    private void IssueRecords(int count)
    {
        var issuer = new ProvenanceRecordIssuer(_nodeKey, Domain, _outbox, _time);
        for (var i = 0; i < count; i++)
        {
            issuer.Issue(RecordOutboxTests.Statement());
        }
    }

    private OutboxDispatcher Dispatcher(Uri? ledger, int batchSize = 500) => new(
        _outbox, _http,
        Options.Create(new LedgerDeliveryOptions { BaseAddress = ledger, BatchSize = batchSize, MinBackoff = TimeSpan.FromSeconds(1) }),
        _time, NullLogger<OutboxDispatcher>.Instance);

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _outbox.Dispose();
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }
}
