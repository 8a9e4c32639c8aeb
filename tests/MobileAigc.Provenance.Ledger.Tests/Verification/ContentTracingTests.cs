using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Verification;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// How the verifier and the soft-binding lookup use their tracers, with scripted tracers over an
/// empty SQLite ledger (no chain: nothing here reaches a record's attestation).
/// </summary>
public sealed class ContentTracingTests : IDisposable
{
    private static readonly byte[] Text = "A line the node never wrote.\n"u8.ToArray();
    private static readonly EvmAddress Node = EvmAddress.Parse("0x00000000000000000000000000000000000000a1");
    private static readonly Bytes32 Model = Bytes32.Sha256("model"u8);
    private static readonly VerificationMatch TextMatch = new(VerificationMatchMethod.TextWatermark, null, null, null);
    private static readonly VerificationMatch WatermarkMatch = new(VerificationMatchMethod.ImageWatermark, null, null, 1.0);

    private readonly SqliteDatabases _databases = new();
    private readonly List<string> _asked = [];

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task VerifyFile_FirstTracerFindsNothing_FallsThroughToTheNextAndStopsAtItsFind()
    {
        var verifier = await VerifierAsync(
            Scripted("nothing"),
            Scripted("origin", new OriginTrace(Node, Model, TextMatch, "Found by the second tracer.")),
            Scripted("never", new OriginTrace(Node, Model, TextMatch, "Found by the third tracer.")));

        var result = await verifier.VerifyFileAsync(Text, CancellationToken.None);

        Assert.Equal(["nothing", "origin"], _asked);
        Assert.Equal(VerificationVerdict.ModifiedButTraced, result.Verdict);
        Assert.Equal("Found by the second tracer.", result.Summary);
        Assert.Equal(TextMatch, result.Match);
        Assert.Equal(Node, result.Node!.Address);
        Assert.Null(result.Node.Operator);
        Assert.Equal(Model, result.Model!.ModelHash);
        Assert.Null(result.Record);
        Assert.Null(result.Signature);
        Assert.Null(result.Anchoring);
    }

    [Fact]
    public async Task VerifyFile_NoTracerFinds_IsUnknownAfterAskingEachOnceInOrder()
    {
        var verifier = await VerifierAsync(Scripted("a"), Scripted("b"), Scripted("c"));

        var result = await verifier.VerifyFileAsync(Text, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], _asked);
        Assert.Equal(VerificationVerdict.Unknown, result.Verdict);
        Assert.Equal(Bytes32.Sha256(Text), result.ContentHash);
        Assert.Null(result.Match);
    }

    [Fact]
    public async Task VerifyFile_UnsupportedUpload_AsksNoTracer()
    {
        var verifier = await VerifierAsync(Scripted("a"));

        await Assert.ThrowsAsync<UnsupportedContentException>(() => verifier.VerifyFileAsync(new byte[] { 0x00, 0xff, 0x13 }, CancellationToken.None));

        Assert.Empty(_asked);
    }

    [Fact]
    public async Task MatchContent_RecordReachedTwice_ListedOnceAndNoTracerAskedOnceThereAreEnough()
    {
        var first = new StoredRecord { Id = 1, Digest = Bytes32.Sha256("first"u8) };
        var second = new StoredRecord { Id = 2, Digest = Bytes32.Sha256("second"u8) };
        var databases = await _databases.NewDatabaseAsync();
        await using (var db = await databases.CreateDbContextAsync())
        {
            // Only records whose manifest store the ledger keeps are listed.
            foreach (var digest in new[] { first.Digest, second.Digest, Bytes32.Sha256("third"u8) })
            {
                await Manifests.TestManifestStores.KeepAsync(db, digest);
            }
        }

        var lookup = new SoftBindingLookup(
            databases,
            new UploadReader(Options.Create(new VerificationOptions())),
            [
                Scripted("exact", new RecordTrace(first, WatermarkMatch, "one")),
                Scripted("text", names: false, new OriginTrace(Node, Model, TextMatch, "no record")),
                Scripted("watermark", new RecordTrace(first, WatermarkMatch, "one again"), new RecordTrace(second, WatermarkMatch, "two")),
                Scripted("never", new RecordTrace(new StoredRecord { Id = 3, Digest = Bytes32.Sha256("third"u8) }, WatermarkMatch, "three")),
            ],
            await PerceptualAsync());

        var matches = await lookup.MatchContentAsync(Text, alg: null, maxResults: 2, CancellationToken.None);

        Assert.Equal(["exact", "watermark"], _asked);
        Assert.Equal([first.Digest, second.Digest], matches.Select(m => m.RecordDigest));
        Assert.All(matches, m => Assert.Equal(100, m.SimilarityScore));
    }

    [Fact]
    public async Task Tracers_ContentTheyDoNotRead_FindNothing()
    {
        var keys = new WatermarkKeyRing([new NodeWatermarkKey(EvmAddress.Parse("0x00000000000000000000000000000000000000b1"), WatermarkKey.FromBytes(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()))]);
        var reader = new UploadReader(Options.Create(new VerificationOptions()));
        var text = reader.Read(Text);
        var image = reader.Read(ImageCodec.Encode(TestPictures.Create(3), ImageFileFormat.Png));
        await using var db = await (await _databases.NewDatabaseAsync()).CreateDbContextAsync();

        Assert.Empty(await new ImageWatermarkTracer(keys).TraceAsync(text, db, 1, CancellationToken.None));
        Assert.Empty(await (await PerceptualAsync()).TraceAsync(text, db, 1, CancellationToken.None));
        Assert.Empty(await new TextWatermarkTracer(new TextWatermarkDetector(keys.Keys, []), keys).TraceAsync(image, db, 1, CancellationToken.None));
    }

    private async Task<ContentVerifier> VerifierAsync(params IContentTracer[] tracers)
    {
        var options = Options.Create(new VerificationOptions());
        var away = ChainAway();
        return new ContentVerifier(
            await _databases.NewDatabaseAsync(),
            new UploadReader(options),
            tracers,
            new ContentHashTracer(),
            new RecordAttestor(away, VerificationLedger.RootCheck(away, options)),
            new RecordClaimCheck(new WatermarkKeyRing([]), new TextWatermarkDetector([], []), options));
    }

    private async Task<PerceptualHashTracer> PerceptualAsync()
    {
        var options = Options.Create(new VerificationOptions());
        return new PerceptualHashTracer(
            new PerceptualHashIndexSync(new PerceptualHashIndex(), await _databases.NewDatabaseAsync(), options, NullLogger<PerceptualHashIndexSync>.Instance),
            options);
    }

    private static LedgerChain ChainAway() => LedgerChain.Open(new LedgerChainOptions
    {
        RpcUrl = new Uri("http://127.0.0.1:9"), // discard port: nothing listens, and nothing here asks it
        ChainId = 31337,
        ModelRegistry = "0x00000000000000000000000000000000000000b1",
        ProvenanceLedger = "0x00000000000000000000000000000000000000b2",
    });

    private ScriptedTracer Scripted(string name, params ContentTrace[] traces) => new(name, true, traces, _asked);

    private ScriptedTracer Scripted(string name, bool names, params ContentTrace[] traces) => new(name, names, traces, _asked);

    /// <summary>Answers what it was given and notes that it was asked.</summary>
    private sealed class ScriptedTracer(string name, bool namesRecords, IReadOnlyList<ContentTrace> traces, List<string> asked) : IContentTracer
    {
        public bool NamesRecords => namesRecords;

        public Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken)
        {
            asked.Add(name);
            return Task.FromResult(traces);
        }
    }
}
