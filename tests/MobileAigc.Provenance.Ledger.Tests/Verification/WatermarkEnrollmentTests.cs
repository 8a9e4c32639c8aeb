using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using MobileAigc.Provenance.Watermarking.Image;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// Watermark keys are tied to the node that enrolled them: a mark read with one node's key never
/// leads to another node's record, and the ledger refuses enrollments that do not hold for it.
/// </summary>
public sealed class WatermarkEnrollmentTests : IDisposable
{
    private static readonly ContractDomain Ledger = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));
    private const ulong HonestPayload = 0x5EED_0000_0000_0A01;
    private readonly SqliteDatabases _databases = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-enrollment-").FullName;
    private readonly EthECKey _honestNode = EthECKey.GenerateKey();
    private readonly EthECKey _otherNode = EthECKey.GenerateKey();
    private readonly WatermarkKey _honestKey = WatermarkKey.Generate();
    private readonly WatermarkKey _otherKey = WatermarkKey.Generate();

    public void Dispose()
    {
        _databases.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task ImageTracer_AnotherNodeMarksAnHonestRecordsPayloadWithItsOwnKey_LeadsToNoRecord()
    {
        // The payload is public (the honest record's watermark id); the other node embeds it with its own key.
        var databases = await _databases.NewDatabaseAsync();
        await StoreAsync(databases, Address(_honestNode), WatermarkIds.FromImagePayload(HonestPayload));
        var tracer = new ImageWatermarkTracer(Ring());
        var forged = Upload(new ImageWatermarker(_otherKey).Embed(TestPictures.Create(5), HonestPayload));

        await using var db = await databases.CreateDbContextAsync();
        Assert.Empty(await tracer.TraceAsync(forged, db, 5, CancellationToken.None));
    }

    [Fact]
    public async Task ImageTracer_TheHonestNodesOwnMark_LeadsToItsRecordAndSaysWhoHoldsTheKey()
    {
        var databases = await _databases.NewDatabaseAsync();
        var record = await StoreAsync(databases, Address(_honestNode), WatermarkIds.FromImagePayload(HonestPayload));
        var tracer = new ImageWatermarkTracer(Ring());
        var genuine = Upload(new ImageWatermarker(_honestKey).Embed(TestPictures.Create(5), HonestPayload));

        await using var db = await databases.CreateDbContextAsync();
        var trace = Assert.IsType<RecordTrace>(Assert.Single(await tracer.TraceAsync(genuine, db, 5, CancellationToken.None)));
        Assert.Equal(record.Digest, trace.Record.Digest);
        Assert.Contains(Address(_honestNode).ToString(), trace.Evidence, StringComparison.Ordinal);
        Assert.Contains("this ledger's operator hold the key", trace.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeOfTextWatermark_NamesOnlyTheEnrollingNode()
    {
        var ring = Ring();

        Assert.Equal(Address(_honestNode), ring.NodeOfTextWatermark(WatermarkIds.ForTextKey(_honestKey)));
        Assert.Equal(Address(_otherNode), ring.NodeOfTextWatermark(WatermarkIds.ForTextKey(_otherKey)));
        Assert.Null(ring.NodeOfTextWatermark(WatermarkIds.ForTextKey(WatermarkKey.Generate())));
    }

    [Fact]
    public void Ring_OneKeyEnrolledByTwoNodes_IsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new WatermarkKeyRing(
            [new NodeWatermarkKey(Address(_honestNode), _honestKey), new NodeWatermarkKey(Address(_otherNode), _honestKey)]));

        Assert.Contains("two nodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_GenuineEnrollments_MapEachKeyToItsNode()
    {
        var files = new[] { await WriteAsync("honest.json", EnrolledWatermarkKey.Create(_honestKey, _honestNode, Ledger, DateTimeOffset.UtcNow)) };

        var ring = WatermarkKeyRing.Load(files, Ledger);

        Assert.Equal(Address(_honestNode), ring.NodeOfTextWatermark(WatermarkIds.ForTextKey(_honestKey)));
    }

    [Fact]
    public async Task Load_EnrollmentSignedForAPreviousDeployment_HoldsOnlyWhileThatDeploymentIsListed()
    {
        var previous = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a1"));
        var file = await WriteAsync("previous.json", EnrolledWatermarkKey.Create(_honestKey, _honestNode, previous, DateTimeOffset.UtcNow));

        var ring = WatermarkKeyRing.Load([file], [Ledger, previous]);

        Assert.Equal(Address(_honestNode), ring.NodeOfTextWatermark(WatermarkIds.ForTextKey(_honestKey)));
        Assert.Throws<InvalidOperationException>(() => WatermarkKeyRing.Load([file], Ledger));
    }

    [Fact]
    public async Task Load_EnrollmentClaimingAKeyForANodeThatDidNotSignIt_NamesTheFileNotTheKey()
    {
        var enrolled = EnrolledWatermarkKey.Create(_otherKey, _otherNode, Ledger, DateTimeOffset.UtcNow);
        var forged = enrolled with { Enrollment = enrolled.Enrollment with { Node = Address(_honestNode) } };
        var file = await WriteAsync("forged.json", forged);

        var e = Assert.Throws<InvalidOperationException>(() => WatermarkKeyRing.Load([file], Ledger));

        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_otherKey.ToHex()[2..], e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Load_EnrollmentForAnotherLedgerDeployment_IsRefused()
    {
        var elsewhere = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a9"));
        var file = await WriteAsync("elsewhere.json", EnrolledWatermarkKey.Create(_honestKey, _honestNode, elsewhere, DateTimeOffset.UtcNow));

        Assert.Throws<InvalidOperationException>(() => WatermarkKeyRing.Load([file], Ledger));
    }

    [Fact]
    public async Task Load_PlainKeyFile_IsRefused()
    {
        var file = Path.Combine(_directory, "watermark.key");
        await File.WriteAllTextAsync(file, _honestKey.ToHex() + "\n");

        Assert.Throws<InvalidOperationException>(() => WatermarkKeyRing.Load([file], Ledger));
    }

    private WatermarkKeyRing Ring() => new(
        [new NodeWatermarkKey(Address(_otherNode), _otherKey), new NodeWatermarkKey(Address(_honestNode), _honestKey)]);

    private static EvmAddress Address(EthECKey key) => EvmAddress.Parse(key.GetPublicAddress());

    private static ContentUpload Upload(RgbImage image) =>
        new UploadReader(Microsoft.Extensions.Options.Options.Create(new VerificationOptions())).Read(ImageCodec.Encode(image, ImageFileFormat.Png));

    private static async Task<StoredRecord> StoreAsync(Microsoft.EntityFrameworkCore.IDbContextFactory<LedgerDbContext> databases, EvmAddress node, Bytes32 watermarkId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var row = new StoredRecord
        {
            Digest = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            ContentHash = Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
            WatermarkId = watermarkId,
            Node = node,
            NodeSequence = 1,
            Signature = new byte[65],
            ReceivedAt = DateTimeOffset.UnixEpoch,
        };
        db.Records.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    private async Task<string> WriteAsync(string name, EnrolledWatermarkKey enrolled)
    {
        var file = Path.Combine(_directory, name);
        await File.WriteAllBytesAsync(file, enrolled.ToJsonBytes());
        return file;
    }
}
