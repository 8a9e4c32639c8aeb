using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Watermarking;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// A ledger database and chain deployment with a <see cref="ContentVerifier"/> over them, and the
/// steps the ingest and anchoring paths would take (stored here directly: those are tested elsewhere).
/// </summary>
public sealed class VerificationLedger(
    IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, EthECKey nodeKey, Bytes32 modelHash, EvmAddress owner, IEnumerable<WatermarkKey> keys)
{
    private static readonly DateTimeOffset Received = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private ulong _sequence;

    public IDbContextFactory<LedgerDbContext> Databases => databases;

    public LedgerChain Chain => chain;

    public PerceptualHashIndexSync Index { get; } = new(
        new PerceptualHashIndex(), databases, Options.Create(new VerificationOptions()), NullLogger<PerceptualHashIndexSync>.Instance);

    public PdqIndexSync PdqIndex { get; } = new(databases, Options.Create(new VerificationOptions()), NullLogger<PdqIndexSync>.Instance);

    public ContentVerifier Verifier => field ??= CreateVerifier(chain);

    public EvmAddress NodeAddress => EvmAddress.Parse(nodeKey.GetPublicAddress());

    /// <summary>The model the records name.</summary>
    public Bytes32 ModelHash => modelHash;

    /// <summary>The shipped image model's manifest.</summary>
    public static string ShippedImageModelManifest => Path.Combine(RepositoryPaths.Root, "models", "cppn-image", "manifest.json");

    /// <summary>The shipped text model's manifest, whose tokenizer the verifier uses to detect text watermarks.</summary>
    public static string ShippedTextModelManifest => Path.Combine(RepositoryPaths.Root, "models", "kjv-char-mlp", "manifest.json");

    /// <summary>The verifier as <c>AddVerification</c> composes it, over <paramref name="chainToUse"/> (e.g. one whose node is away).</summary>
    public ContentVerifier CreateVerifier(LedgerChain chainToUse, VerificationOptions? options = null)
    {
        var configured = Options.Create(options ?? new VerificationOptions());
        var (tracers, ring, text) = Tracers(configured);
        return new ContentVerifier(
            databases,
            new UploadReader(configured),
            tracers,
            tracers.OfType<ContentHashTracer>().Single(),
            new RecordAttestor(chainToUse, RootCheck(chainToUse, configured), ModelNames.Load(configured.Value.ModelManifests, text.Models)),
            new RecordClaimCheck(ring, text, configured),
            hashReads: HashReads);
    }

    // On SQLite, verification by hash runs on kept connections, as in the ledger (LedgerDatabase.AddLedgerDatabase).
    private SqliteReadConnections? HashReads => field ??= Fixtures.LedgerDatabases.KeptReadConnections(databases);

    /// <summary>A root check over <paramref name="chainToUse"/> as <c>AddVerification</c> composes it, keeping roots in <paramref name="kept"/> (a cache of its own when null).</summary>
    public static AnchoredRootCheck RootCheck(LedgerChain chainToUse, IOptions<VerificationOptions> options, KeptRootCache? kept = null) => new(
        chainToUse, kept ?? new KeptRootCache(options.Value.KeptRootCapacity), options, TimeProvider.System, NullLogger<AnchoredRootCheck>.Instance);

    /// <summary>The C2PA soft-binding lookup as <c>AddVerification</c> composes it, over the same tracers as <see cref="Verifier"/>.</summary>
    public SoftBindingLookup CreateSoftBindingLookup()
    {
        var configured = Options.Create(new VerificationOptions());
        var tracers = Tracers(configured).Tracers;
        return new SoftBindingLookup(databases, new UploadReader(configured), tracers, tracers.OfType<PerceptualHashTracer>().Single());
    }

    private (IReadOnlyList<IContentTracer> Tracers, WatermarkKeyRing Ring, TextWatermarkDetector Text) Tracers(IOptions<VerificationOptions> configured)
    {
        var ring = new WatermarkKeyRing(keys.Select(k => new NodeWatermarkKey(NodeAddress, k)));
        var text = new TextWatermarkDetector(ring.Keys, TextWatermarkDetector.LoadModels([ShippedTextModelManifest]));
        return (
            [
                new ContentHashTracer(),
                new ImageWatermarkTracer(ring),
                new PerceptualHashTracer(Index, configured),
                new PdqTracer(PdqIndex, configured),
                new TextWatermarkTracer(text, ring),
            ],
            ring,
            text);
    }

    /// <summary>Writes the registry mirror rows an indexer would write; <paramref name="nodeEndpoint"/> is what the chain holds as the node's endpoint.</summary>
    public async Task MirrorRegistryAsync(string? nodeEndpoint = null)
    {
        await using var db = await databases.CreateDbContextAsync();
        db.Models.Add(new MirroredModel { ModelHash = modelHash, Owner = owner, MetadataUri = "ipfs://model", PricePerGeneration = "0", RoyaltyBasisPoints = 500, Active = true });
        db.Nodes.Add(new MirroredNode { Node = NodeAddress, Operator = owner, Registered = true, Endpoint = nodeEndpoint });
        await db.SaveChangesAsync();
    }

    /// <summary>Signs and stores the record of a generated file, as ingest would.</summary>
    /// <remarks>
    /// The perceptual hash is <paramref name="image"/>'s unless <paramref name="perceptualHash"/> says otherwise (a lying node).
    /// With <paramref name="pdq"/> the record is version 3 and signs that PDQ hash and quality.
    /// </remarks>
    public async Task<StoredRecord> StoreAsync(
        byte[] file, RgbImage? image = null, ulong? watermarkPayload = null, Bytes32? watermarkId = null, Bytes32? perceptualHash = null,
        PdqHashAndQuality? pdq = null)
    {
        var extensions = pdq is { } signedPdq ? new ProvenanceRecordExtensionsV3(Bytes32.Zero, signedPdq.Hash.Bits, (ushort)signedPdq.Quality) : null;
        var record = new ProvenanceRecord(
            Bytes32.Sha256(file),
            perceptualHash ?? (image is null ? Bytes32.Zero : PerceptualHasher.Compute(image).Bits),
            modelHash,
            NodeAddress,
            EvmAddress.Parse("0x00000000000000000000000000000000000000c1"),
            Bytes32.Zero,
            Bytes32.Sha256("prompt"u8),
            Bytes32.Sha256("parameters"u8),
            1_764_500_000,
            watermarkPayload is { } payload ? WatermarkIds.FromImagePayload(payload) : watermarkId ?? Bytes32.Zero,
            ++_sequence,
            extensions is null ? ProvenanceRecordVersions.V1 : ProvenanceRecordVersions.V3)
        {
            Extensions = extensions?.HashStruct() ?? Bytes32.Zero,
        };
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, chain.Domain, nodeKey)) { ExtensionsV3 = extensions };
        var stored = StoredRecord.From(signed, ProvenanceRecordTypedData.Digest(record, chain.Domain), Received);
        await using var db = await databases.CreateDbContextAsync();
        db.Records.Add(stored);
        await db.SaveChangesAsync();
        return stored;
    }

    /// <summary>Batches every pending record, anchors the root on chain and writes the batch, as the anchoring worker would.</summary>
    public async Task<AnchorBatch> AnchorPendingAsync()
    {
        await using var db = await databases.CreateDbContextAsync();
        var pending = await db.Records.Where(r => r.BatchId == null).OrderBy(r => r.Id).ToListAsync();
        var tree = MerkleTree.Build([.. pending.Select(r => r.Digest)]);
        var first = await chain.Ledger.NextSequenceAsync(chain.Anchorer!.Value);
        var (batchId, transaction) = await chain.Ledger.AnchorBatchAsync(tree.Root, first, (uint)pending.Count);
        var batch = new AnchorBatch
        {
            FirstSequence = (long)first,
            RecordCount = pending.Count,
            Root = tree.Root,
            State = AnchorBatchState.Anchored,
            CreatedAt = Received,
            TransactionHash = Bytes32.Parse(transaction.Hash),
            BlockNumber = (long)transaction.BlockNumber,
            ChainBatchId = (long)batchId,
            GasUsed = (long)transaction.GasUsed,
            AnchoredAt = Received,
            SubmitAttempts = 1,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        for (var i = 0; i < pending.Count; i++)
        {
            pending[i].BatchId = batch.Id;
            pending[i].LeafIndex = i;
            pending[i].Proof = StoredRecord.PackProof(tree.GetProof(i));
        }

        await db.SaveChangesAsync();
        return batch;
    }

    /// <summary>Changes a stored row in place, as an attacker with database access would.</summary>
    public async Task UpdateAsync(long recordId, Action<StoredRecord> change)
    {
        await using var db = await databases.CreateDbContextAsync();
        var row = await db.Records.SingleAsync(r => r.Id == recordId);
        change(row);
        await db.SaveChangesAsync();
    }
}
