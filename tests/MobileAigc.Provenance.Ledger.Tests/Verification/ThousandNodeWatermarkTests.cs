using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Testing.Text;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// A ledger holding a thousand nodes' watermark keys reads a picture once and a text's pairs once, and still traces each
/// to the node that marked it, and only to that node's records.
/// </summary>
/// <remarks>
/// The keys are enrolled in memory (<see cref="NodeWatermarkKey"/>, what <see cref="WatermarkKeyRing.Load(IEnumerable{string}, Core.Eip712.ContractDomain)"/>
/// yields once each file's signature is checked): signing and checking a thousand EIP-712 enrollments is the start-up's cost,
/// covered by <see cref="WatermarkEnrollmentTests"/>, not the reading's.
/// </remarks>
public sealed class ThousandNodeWatermarkTests : IDisposable
{
    private const int Nodes = 1_000;
    private const int MarkingNode = 421;
    private const ulong Payload = 0x0FF1_CE00_0000_0421;
    private static readonly NodeWatermarkKey[] Enrolled = [.. Enumerable.Range(0, Nodes).Select(i => new NodeWatermarkKey(NodeAddress(i), WatermarkKey.Generate()))];
    private static readonly WatermarkKeyRing Ring = new(Enrolled);
    private readonly SqliteDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task ImageTracer_ThousandEnrolledNodes_TracesTheReencodedPictureToTheMarkingNodesRecordOnly()
    {
        var databases = await _databases.NewDatabaseAsync();
        var record = await StoreAsync(databases, Enrolled[MarkingNode].Node, Payload);
        // Another node copies the (public) watermark id into a record of its own: the mark must not lead there.
        await StoreAsync(databases, Enrolled[MarkingNode + 1].Node, Payload);
        var marked = new ImageWatermarker(Enrolled[MarkingNode].Key).Embed(TestPictures.Create(8), Payload);
        var upload = Upload(ImageCodec.Encode(marked, ImageFileFormat.Jpeg));

        await using var db = await databases.CreateDbContextAsync();
        var trace = Assert.IsType<RecordTrace>(Assert.Single(await new ImageWatermarkTracer(Ring).TraceAsync(upload, db, 5, CancellationToken.None)));

        Assert.Equal(record.Digest, trace.Record.Digest);
        Assert.Contains(Enrolled[MarkingNode].Node.ToString(), trace.Evidence, StringComparison.Ordinal);
        Assert.Equal([MarkingNode], Ring.ReadImageHits(marked).Select(h => h.KeyIndex));
    }

    [Fact]
    public async Task ImageTracer_PictureMarkedByNodeAReadWithOnlyNodeBsKey_IsNotAttributedToB()
    {
        // B holds a record with the very payload A embedded; the ledger holds only B's key.
        var (nodeA, nodeB) = (Enrolled[10], Enrolled[11]);
        var databases = await _databases.NewDatabaseAsync();
        await StoreAsync(databases, nodeB.Node, Payload);
        var onlyB = new WatermarkKeyRing([nodeB]);
        var marked = new ImageWatermarker(nodeA.Key).Embed(TestPictures.Create(9), Payload);

        await using var db = await databases.CreateDbContextAsync();
        Assert.Empty(await new ImageWatermarkTracer(onlyB).TraceAsync(Upload(ImageCodec.Encode(marked, ImageFileFormat.Png)), db, 5, CancellationToken.None));
        Assert.Empty(onlyB.ReadImageHits(marked));
        Assert.Null(onlyB.ReadImage(marked));
    }

    [Fact]
    public void TextDetector_ThousandEnrolledKeys_NamesTheKeyThatMarkedTheTextAndItsNode()
    {
        var detector = new TextWatermarkDetector([.. Enrolled.Select(e => e.Key)], TextWatermarkDetector.LoadModels([VerificationLedger.ShippedTextModelManifest]));
        var text = Generate(Enrolled[MarkingNode].Key, seed: 5);

        var hit = detector.Detect(text);

        Assert.NotNull(hit);
        Assert.Equal(WatermarkIds.ForTextKey(Enrolled[MarkingNode].Key), hit.WatermarkId);
        Assert.Equal(Enrolled[MarkingNode].Node, Ring.NodeOfTextWatermark(hit.WatermarkId));
        // Bonferroni over a thousand keys: the adjusted chance is a thousand times the best key's, and still within the rate.
        Assert.InRange(hit.Evidence.AdjustedPValue, hit.Evidence.PValue, new TextWatermarkOptions().FalsePositiveRate);
    }

    [Fact]
    public void TextDetector_ThousandEnrolledKeys_TextGeneratedWithoutAWatermark_IsNotTraced()
    {
        var detector = new TextWatermarkDetector([.. Enrolled.Select(e => e.Key)], TextWatermarkDetector.LoadModels([VerificationLedger.ShippedTextModelManifest]));

        Assert.Null(detector.Detect(Generate(key: null, seed: 6)));
    }

    [Fact]
    public void TextDetector_HundredEnrolledKeys_TwoHundredTokensWithAQuarterOfTheWordsReplaced_NamesTheKeyWithinTheIssuesRate()
    {
        // Issue 17: 200 tokens, 25 % of the words replaced by random wamerican words, traced among 100 node keys at 1e-6.
        var keys = Enrolled.Take(100).Select(e => e.Key).ToArray();
        var detector = new TextWatermarkDetector(keys, TextWatermarkDetector.LoadModels([VerificationLedger.ShippedTextModelManifest]));
        var edited = WordEdits.Load(RepositoryPaths.WordListSample).Replace(Generate(keys[42], seed: 8, tokens: 200), 0.25, new Random(8));

        var hit = detector.Detect(edited);

        Assert.NotNull(hit);
        Assert.Equal(WatermarkIds.ForTextKey(keys[42]), hit.WatermarkId);
        Assert.True(hit.Evidence.AdjustedPValue <= 1e-6, $"adjusted p = {hit.Evidence.AdjustedPValue:0.##e+0} over {hit.Evidence.ScoredTokens} scored tokens");
    }

    private static string Generate(WatermarkKey? key, ulong seed, int tokens = 300)
    {
        using var model = OnnxModel.LoadDirectory(Path.GetDirectoryName(VerificationLedger.ShippedTextModelManifest)!);
        var options = TextGenerationOptions.FromManifest(model.Manifest, seed) with { MaxNewTokens = tokens };
        var generator = new TextGenerator(model);
        return key is null
            ? generator.Generate("And it came to pass", options).Text
            : generator.Generate("And it came to pass", options, new TextWatermark(key).Bias).Text;
    }

    private static EvmAddress NodeAddress(int index)
    {
        var bytes = new byte[20];
        bytes[0] = 0xA0;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), index);
        return EvmAddress.Parse("0x" + Convert.ToHexStringLower(bytes));
    }

    private static ContentUpload Upload(byte[] file) =>
        new UploadReader(Microsoft.Extensions.Options.Options.Create(new VerificationOptions())).Read(file);

    private static async Task<StoredRecord> StoreAsync(Microsoft.EntityFrameworkCore.IDbContextFactory<LedgerDbContext> databases, EvmAddress node, ulong payload)
    {
        await using var db = await databases.CreateDbContextAsync();
        var row = new StoredRecord
        {
            Digest = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            ContentHash = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            WatermarkId = WatermarkIds.FromImagePayload(payload),
            Node = node,
            NodeSequence = 1,
            Signature = new byte[65],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        };
        db.Records.Add(row);
        await db.SaveChangesAsync();
        return row;
    }
}
