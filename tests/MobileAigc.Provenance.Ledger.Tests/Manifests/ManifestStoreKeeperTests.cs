using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Ingest;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Manifests;

/// <summary>
/// The ledger keeps a manifest store only for an accepted record and only when the registered check accepts it; the
/// first one for good. The full check itself is <see cref="RecordManifestStoreCheckTests"/>; real stores through ingest
/// are <see cref="ManifestStoreIngestTests"/>.
/// </summary>
public sealed class ManifestStoreKeeperTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));
    private static readonly EthECKey NodeKey = EthECKey.GenerateKey();

    private ManifestStoreKeeper Keeper => host.Services.GetRequiredService<ManifestStoreKeeper>();

    [Fact]
    public void AddManifestStores_RegistersTheFullCheck()
    {
        Assert.IsType<RecordManifestStoreCheck>(host.Services.GetRequiredService<IManifestStoreCheck>());
    }

    [Fact]
    public void RefuseContent_LabelOnlyStoreWithoutClaim_IsRefused()
    {
        // A store whose active manifest carries the record's label but no claim or signature proves nothing.
        var (signed, digest) = Record(1);

        Assert.Contains("does not validate", Keeper.RefuseContent(TestManifestStores.For(digest), signed, digest), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 0, 8, 0x6a, 0x75, 0x6d, 0x62 })]
    [InlineData(new byte[] { 0, 0, 0, 200, 0x6a, 0x75, 0x6d, 0x62, 1, 2, 3 })]
    public void RefuseContent_NotAManifestStore_IsRefusedWithoutThrowing(byte[] store)
    {
        var (signed, digest) = Record(2);

        Assert.Contains("not a C2PA manifest store", Keeper.RefuseContent(store, signed, digest), StringComparison.Ordinal);
    }

    [Fact]
    public void RefuseContent_StoreOverTheLimit_IsRefused()
    {
        var (signed, digest) = Record(3);
        var padded = new byte[new ManifestStoreOptions().MaxStoreBytes + 1];
        TestManifestStores.For(digest).CopyTo(padded, 0);

        Assert.Contains("at most", Keeper.RefuseContent(padded, signed, digest), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepForAcceptedAsync_InvalidStoreOfAnAcceptedRecordAndAStoreOfARefusedOne_ReportsTheFirstKeepsNeither()
    {
        var (accepted, acceptedDigest) = Record(4);
        var (refused, refusedDigest) = Record(5);
        var outcomes = new[]
        {
            new RecordIngestOutcome(acceptedDigest, RecordIngestStatus.Stored),
            new RecordIngestOutcome(refusedDigest, RecordIngestStatus.Refused, new RecordRefusal(RecordRefusalReason.InvalidSignature, "bad")),
        };

        var notKept = await Keeper.KeepForAcceptedAsync(
            [accepted with { ManifestStore = TestManifestStores.For(acceptedDigest) }, refused with { ManifestStore = TestManifestStores.For(refusedDigest) }],
            outcomes,
            CancellationToken.None);

        var refusal = Assert.Single(notKept);
        Assert.Equal((0, acceptedDigest, RecordProblemTypes.InvalidManifestStore), (refusal.Index, refusal.RecordDigest, refusal.Type));
        Assert.Null(await Keeper.FindAsync(RecordManifestLabel.For(acceptedDigest), CancellationToken.None));
        Assert.Null(await Keeper.FindAsync(RecordManifestLabel.For(refusedDigest), CancellationToken.None));
    }

    [Fact]
    public async Task KeepForAcceptedAsync_RecordWithAKeptStore_SettlesWithoutTheCheck()
    {
        // The kept store is label-only (the full check would refuse it): the same bytes again are a no-op and other
        // bytes a conflict, both decided by the kept store's hash alone.
        var (signed, digest) = Record(6);
        var kept = TestManifestStores.For(digest, filler: 1);
        Assert.Empty(await Keeper.KeepAsync([new(0, digest, kept)], CancellationToken.None));
        var outcome = new RecordIngestOutcome(digest, RecordIngestStatus.AlreadyStored);

        var same = await Keeper.KeepForAcceptedAsync([signed with { ManifestStore = kept }], [outcome], CancellationToken.None);
        var other = await Keeper.KeepForAcceptedAsync(
            [signed with { ManifestStore = TestManifestStores.For(digest, filler: 2) }], [outcome], CancellationToken.None);

        Assert.Empty(same);
        Assert.Equal(RecordProblemTypes.ManifestStoreConflict, Assert.Single(other).Type);
        Assert.Equal(kept, (await Keeper.FindAsync(RecordManifestLabel.For(digest), CancellationToken.None))!.Store);
    }

    [Fact]
    public async Task KeepAsync_SameStoreAgainThenADifferentOne_KeepsTheFirstAndRefusesTheSecond()
    {
        var digest = Bytes32.Sha256("kept once"u8);
        var first = TestManifestStores.For(digest, filler: 1);
        var second = TestManifestStores.For(digest, filler: 2);

        Assert.Empty(await Keeper.KeepAsync([new(0, digest, first)], CancellationToken.None));
        Assert.Empty(await Keeper.KeepAsync([new(0, digest, first)], CancellationToken.None));
        var conflict = Assert.Single(await Keeper.KeepAsync([new(3, digest, second)], CancellationToken.None));

        Assert.Equal((RecordProblemTypes.ManifestStoreConflict, 3), (conflict.Type, conflict.Index));
        Assert.Equal(first, (await Keeper.FindAsync(RecordManifestLabel.For(digest), CancellationToken.None))!.Store);
    }

    [Fact]
    public async Task KeepAsync_TwoDifferentStoresForOneRecordInARequest_KeepsTheFirstRefusesTheSecond()
    {
        var digest = Bytes32.Sha256("two in one request"u8);
        var first = TestManifestStores.For(digest, filler: 1);

        var conflict = Assert.Single(await Keeper.KeepAsync(
            [new(0, digest, first), new(1, digest, TestManifestStores.For(digest, filler: 2))], CancellationToken.None));

        Assert.Equal(1, conflict.Index);
        Assert.Equal(first, (await Keeper.FindAsync(RecordManifestLabel.For(digest), CancellationToken.None))!.Store);
    }

    private static (SignedProvenanceRecord Signed, Bytes32 Digest) Record(ulong sequence)
    {
        var signed = SignedRecords.Make(Domain, NodeKey, Bytes32.Sha256("model"u8), sequence, DateTimeOffset.UnixEpoch);
        return (signed, ProvenanceRecordTypedData.Digest(signed.Record, Domain));
    }
}
