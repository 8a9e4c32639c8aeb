using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Ingest;
using MobileAigc.Provenance.Ledger.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>Version 2 records through ingest, and the chain of derivations the ledger shows; run once per database provider.</summary>
public abstract class RecordLineageSpecification(LedgerDatabases databases)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly ContractDomain _domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly Bytes32 _model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
    private ulong _sequence;

    [Fact]
    public async Task IngestAsync_Version2WithItsExtensionData_StoresTheParentAndGivesItBack()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var parent = Derived(null);
        var child = Derived(parent);

        var outcomes = await ingestor.IngestAsync([parent, child]);

        Assert.All(outcomes, o => Assert.Equal(RecordIngestStatus.Stored, o.Status));
        await using var context = await db.CreateDbContextAsync();
        var stored = await context.Records.AsNoTracking().SingleAsync(r => r.Digest == outcomes[1].Digest);
        Assert.Equal(outcomes[0].Digest, stored.ParentRecord);
        Assert.Equal(child.ExtensionsV2, stored.ToSignedRecord().ExtensionsV2);
        Assert.Equal(child.Record, stored.ToRecord());
    }

    [Fact]
    public async Task IngestAsync_Version2WithOtherExtensionData_RefusesAsInvalidRecord()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var child = Derived(Derived(null)) with { ExtensionsV2 = new ProvenanceRecordExtensionsV2(Bytes32.Sha256("another parent"u8)) };
        var bare = Derived(Derived(null)) with { ExtensionsV2 = null };

        var outcomes = await ingestor.IngestAsync([child, bare]);

        Assert.All(outcomes, o => Assert.Equal(RecordRefusalReason.InvalidRecord, o.Refusal?.Reason));
        Assert.Contains("extensions commitment", outcomes[0].Refusal?.Detail, StringComparison.Ordinal);
        await using var context = await db.CreateDbContextAsync();
        Assert.Equal(0, await context.Records.CountAsync());
    }

    [Fact]
    public async Task IngestAsync_Version1WithExtensionData_RefusesAsInvalidRecord()
    {
        var (ingestor, _) = await NewIngestorAsync();
        var v1 = Derived(null) with { ExtensionsV2 = new ProvenanceRecordExtensionsV2(Bytes32.Sha256("parent"u8)) };

        var outcome = (await ingestor.IngestAsync([v1])).Single();

        Assert.Equal(RecordRefusalReason.InvalidRecord, outcome.Refusal?.Reason);
    }

    [Fact]
    public async Task TraceAsync_ThreeGenerations_ListsParentThenGrandparentToTheOrigin()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var origin = Derived(null);
        var edit = Derived(origin);
        var editOfEdit = Derived(edit);
        var outcomes = await ingestor.IngestAsync([origin, edit, editOfEdit]);

        var lineage = await TraceAsync(db, outcomes[2].Digest);

        Assert.NotNull(lineage);
        Assert.Equal(LineageEnd.Origin, lineage.End);
        Assert.Equal([outcomes[1].Digest, outcomes[0].Digest], lineage.Ancestors.Select(a => a.Digest));
        Assert.Equal([1, 2], lineage.Ancestors.Select(a => a.Generation));
        Assert.All(lineage.Ancestors, a => Assert.True(a.Known));
        Assert.Equal(origin.Record.ContentHash, lineage.Ancestors[1].ContentHash);
        Assert.Null(await TraceAsync(db, outcomes[0].Digest));
    }

    [Fact]
    public async Task TraceAsync_ParentNotInTheLedger_EndsAtAnUnknownParent()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var elsewhere = Bytes32.Sha256("a record of another ledger"u8);
        var child = Sign(Record() with { Version = ProvenanceRecordVersions.V2, Extensions = new ProvenanceRecordExtensionsV2(elsewhere).HashStruct() },
            new ProvenanceRecordExtensionsV2(elsewhere));
        var outcome = (await ingestor.IngestAsync([child])).Single();

        var lineage = await TraceAsync(db, outcome.Digest);

        Assert.Equal(LineageEnd.UnknownParent, lineage?.End);
        Assert.False(Assert.Single(lineage!.Ancestors).Known);
        Assert.Equal(elsewhere, lineage.Ancestors[0].Digest);
    }

    [Fact]
    public async Task TraceAsync_ChainDeeperThanTheBound_StopsAtMaxDepth()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var chain = new List<SignedProvenanceRecord> { Derived(null) };
        for (var i = 0; i < LineageLimits.MaxDepth + 5; i++)
        {
            chain.Add(Derived(chain[^1]));
        }

        var outcomes = await ingestor.IngestAsync(chain);

        var lineage = await TraceAsync(db, outcomes[^1].Digest);
        Assert.Equal(LineageEnd.DepthLimit, lineage?.End);
        Assert.Equal(LineageLimits.MaxDepth, lineage!.Ancestors.Count);
        Assert.Equal(outcomes[^2].Digest, lineage.Ancestors[0].Digest);
    }

    [Fact]
    public async Task TraceAsync_AlteredRowsFormingACycle_StopsAndSaysSo()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var origin = Derived(null);
        var edit = Derived(origin);
        var outcomes = await ingestor.IngestAsync([origin, edit]);
        await using (var context = await db.CreateDbContextAsync())
        {
            // Someone with database access points the origin at its own child, extensions and all.
            var row = await context.Records.SingleAsync(r => r.Digest == outcomes[0].Digest);
            row.ParentRecord = outcomes[1].Digest;
            row.Extensions = new ProvenanceRecordExtensionsV2(outcomes[1].Digest).HashStruct();
            row.Version = ProvenanceRecordVersions.V2;
            await context.SaveChangesAsync();
        }

        var lineage = await TraceAsync(db, outcomes[1].Digest);

        Assert.Equal(LineageEnd.Cycle, lineage?.End);
        Assert.Single(lineage!.Ancestors);
    }

    [Fact]
    public async Task TraceAsync_AlteredParentColumn_SaysTheExtensionsDoNotHash()
    {
        var (ingestor, db) = await NewIngestorAsync();
        var outcomes = await ingestor.IngestAsync([Derived(null), Derived(null)]);
        var child = Derived(Derived(null));
        var childDigest = (await ingestor.IngestAsync([child])).Single().Digest;
        await using (var context = await db.CreateDbContextAsync())
        {
            var row = await context.Records.SingleAsync(r => r.Digest == childDigest);
            row.ParentRecord = outcomes[1].Digest;
            await context.SaveChangesAsync();
        }

        Assert.Equal(LineageEnd.AlteredExtensions, (await TraceAsync(db, childDigest))?.End);
    }

    private static async Task<RecordLineage?> TraceAsync(IDbContextFactory<LedgerDbContext> db, Bytes32 digest)
    {
        await using var context = await db.CreateDbContextAsync();
        var stored = await context.Records.AsNoTracking().SingleAsync(r => r.Digest == digest);
        return await RecordLineageWalk.TraceAsync(context, stored, CancellationToken.None);
    }

    private ProvenanceRecord Record() => SignedRecords.Make(_domain, _nodeKey, _model, ++_sequence, Now).Record;

    /// <summary>A new record: version 1 without a parent, version 2 naming <paramref name="parent"/>.</summary>
    private SignedProvenanceRecord Derived(SignedProvenanceRecord? parent)
    {
        if (parent is null)
        {
            return Sign(Record(), null);
        }

        var extensions = new ProvenanceRecordExtensionsV2(ProvenanceRecordTypedData.Digest(parent.Record, _domain));
        return Sign(Record() with { Version = ProvenanceRecordVersions.V2, Extensions = extensions.HashStruct() }, extensions);
    }

    private SignedProvenanceRecord Sign(ProvenanceRecord record, ProvenanceRecordExtensionsV2? extensions) =>
        new(record, ProvenanceRecordTypedData.Sign(record, _domain, _nodeKey)) { ExtensionsV2 = extensions };

    private async Task<(RecordIngestor Ingestor, IDbContextFactory<LedgerDbContext> Database)> NewIngestorAsync()
    {
        var db = await databases.NewDatabaseAsync();
        await using (var context = await db.CreateDbContextAsync())
        {
            var node = EvmAddress.Parse(_nodeKey.GetPublicAddress());
            var owner = EvmAddress.Parse("0x00000000000000000000000000000000000000dd");
            context.Models.Add(new MirroredModel { ModelHash = _model, Owner = owner, MetadataUri = "ipfs://m", Active = true });
            context.Nodes.Add(new MirroredNode { Node = node, Operator = owner, Registered = true });
            context.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = _model });
            context.NodeApprovals.Add(new ModelNodeApproval { ModelHash = _model, Node = node });
            await context.SaveChangesAsync();
        }

        var verifier = new RecordSignatureVerifier(_domain);
        var channels = new PaymentVoucherVerifier(ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000cc")));
        var ingestor = new RecordIngestor(db, verifier, new RegistryMirror(db), new CreatorProofChecker(verifier, channels),
            Options.Create(new RecordIngestOptions()), new FakeTimeProvider(Now), NullLogger<RecordIngestor>.Instance);
        return (ingestor, db);
    }
}

/// <summary>The lineage specification on SQLite.</summary>
public sealed class SqliteRecordLineageTests(SqliteDatabases databases) : RecordLineageSpecification(databases), IClassFixture<SqliteDatabases>;

/// <summary>The lineage specification on PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRecordLineageTests(PostgresDatabases databases) : RecordLineageSpecification(databases);
