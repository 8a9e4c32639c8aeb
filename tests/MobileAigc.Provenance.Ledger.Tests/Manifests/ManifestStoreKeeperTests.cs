using Microsoft.Extensions.DependencyInjection;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Tests.Ingest;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Manifests;

/// <summary>The ledger keeps a manifest store only for the record it names, the first one for good.</summary>
public sealed class ManifestStoreKeeperTests(VerificationHostFactory host) : IClassFixture<VerificationHostFactory>
{
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));
    private static readonly EthECKey NodeKey = EthECKey.GenerateKey();

    private ManifestStoreKeeper Keeper => host.Services.GetRequiredService<ManifestStoreKeeper>();

    [Fact]
    public void CheckContent_StoreNamingItsRecord_IsAccepted()
    {
        var (signed, digest) = Record(1);

        Assert.Empty(Keeper.CheckContent([signed with { ManifestStore = TestManifestStores.For(digest, withIngredient: true) }], [digest]));
    }

    [Fact]
    public void CheckContent_StoreNamingAnotherRecord_IsRefusedAsInvalid()
    {
        var (signed, digest) = Record(2);
        var other = Bytes32.Sha256("another record"u8);

        var refusal = Assert.Single(Keeper.CheckContent([signed with { ManifestStore = TestManifestStores.For(other) }], [digest]));

        Assert.Equal(RecordProblemTypes.InvalidManifestStore, refusal.Type);
        Assert.Equal(0, refusal.Index);
        Assert.Contains(RecordManifestLabel.For(digest), refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckContent_RecordsLabelOnlyOnAnIngredientsManifest_IsRefused()
    {
        // The active manifest is the last one: a store whose newest manifest is someone else's does not name the record.
        var (signed, digest) = Record(3);
        var store = TestManifestStores.Labelled([RecordManifestLabel.For(digest), "urn:c2pa:00000000-0000-4000-8000-000000000002"]);

        Assert.Single(Keeper.CheckContent([signed with { ManifestStore = store }], [digest]));
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0, 0, 0, 8, 0x6a, 0x75, 0x6d, 0x62 })]
    [InlineData(new byte[] { 0, 0, 0, 200, 0x6a, 0x75, 0x6d, 0x62, 1, 2, 3 })]
    public void CheckContent_NotAManifestStore_IsRefusedWithoutThrowing(byte[] store)
    {
        var (signed, digest) = Record(4);

        var refusal = Assert.Single(Keeper.CheckContent([signed with { ManifestStore = store }], [digest]));

        Assert.Equal(RecordProblemTypes.InvalidManifestStore, refusal.Type);
    }

    [Fact]
    public void CheckContent_StoreOverTheLimit_IsRefused()
    {
        var (signed, digest) = Record(5);
        var huge = TestManifestStores.Labelled([RecordManifestLabel.For(digest)], filler: 1);
        var padded = new byte[new ManifestStoreOptions().MaxStoreBytes + 1];
        huge.CopyTo(padded, 0);

        var refusal = Assert.Single(Keeper.CheckContent([signed with { ManifestStore = padded }], [digest]));

        Assert.Contains("at most", refusal.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepAsync_SameStoreAgainThenADifferentOne_KeepsTheFirstAndRefusesTheSecond()
    {
        var digest = Bytes32.Sha256("kept once"u8);
        var first = TestManifestStores.For(digest, filler: 1);
        var second = TestManifestStores.For(digest, filler: 2);

        Assert.Empty(await Keeper.KeepAsync([new(0, digest, first)], CancellationToken.None));
        Assert.Empty(await Keeper.KeepAsync([new(0, digest, first)], CancellationToken.None));
        var conflict = Assert.Single(await Keeper.FindConflictsAsync([new(3, digest, second)], CancellationToken.None));
        var lost = Assert.Single(await Keeper.KeepAsync([new(3, digest, second)], CancellationToken.None));

        Assert.Equal(RecordProblemTypes.ManifestStoreConflict, conflict.Type);
        Assert.Equal(3, conflict.Index);
        Assert.Equal(conflict, lost);
        Assert.Equal(first, (await Keeper.FindAsync(RecordManifestLabel.For(digest), CancellationToken.None))!.Store);
    }

    [Fact]
    public async Task FindConflictsAsync_TwoDifferentStoresForOneRecordInARequest_RefusesTheSecond()
    {
        var digest = Bytes32.Sha256("two in one request"u8);

        var conflict = Assert.Single(await Keeper.FindConflictsAsync(
            [new(0, digest, TestManifestStores.For(digest, filler: 1)), new(1, digest, TestManifestStores.For(digest, filler: 2))], CancellationToken.None));

        Assert.Equal(1, conflict.Index);
    }

    private static (SignedProvenanceRecord Signed, Bytes32 Digest) Record(ulong sequence)
    {
        var signed = SignedRecords.Make(Domain, NodeKey, Bytes32.Sha256("model"u8), sequence, DateTimeOffset.UnixEpoch);
        return (signed, ProvenanceRecordTypedData.Digest(signed.Record, Domain));
    }
}
