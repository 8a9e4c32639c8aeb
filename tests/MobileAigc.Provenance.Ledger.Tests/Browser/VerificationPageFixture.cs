using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Tests.EndToEnd;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Ledger.Tests.Verification;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using MobileAigc.Provenance.Watermarking.Image;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Browser;

/// <summary>
/// What the browser tests share: the real <c>ledger</c> process on the collection's anvil, holding
/// a watermarked image and a text whose signed records went through ingest and were anchored on
/// chain by the host's own worker, and a headless system Chromium driven by Playwright. Starting
/// all that takes seconds, so it is done once per class; every test opens its own browser context.
/// </summary>
public sealed class VerificationPageFixture(LedgerChainFixture chain) : IAsyncLifetime
{
    /// <summary>Where Debian's <c>chromium</c> package (installed by scripts/bootstrap.sh) puts the browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The public endpoint the node's operator advertises on chain.</summary>
    public static Uri NodeEndpoint { get; } = new("https://edge-1.example:8443/");

    /// <summary>The name the manifest the ledger is given gives the deployment's model.</summary>
    public const string ModelName = "cppn-portraits";

    /// <summary>The payload the node embedded in <see cref="AnchoredPng"/>.</summary>
    public const ulong WatermarkPayload = 0x0b5e_55ed_c0de_2026;

    // Tests run as root (no sandbox then); everything that would phone home is off, the machines are offline.
    private static readonly string[] ChromiumArguments =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-browser-").FullName;
    private readonly WatermarkKey _key = WatermarkKey.Generate();
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private HostProcess? _host;

    /// <summary>The chain deployment the host anchors to.</summary>
    public TestDeployment Deployment { get; private set; } = null!;

    /// <summary>Where the ledger listens; the page is at its root.</summary>
    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>The running host, for its output in failure messages.</summary>
    public HostProcess Host => _host ?? throw new InvalidOperationException("The fixture is not initialized.");

    /// <summary>The watermarked picture as the node generated it.</summary>
    public RgbImage AnchoredImage { get; private set; } = null!;

    /// <summary>The delivered PNG of the watermarked picture, recorded and anchored.</summary>
    public byte[] AnchoredPng { get; private set; } = [];

    /// <summary>The record of <see cref="AnchoredPng"/>.</summary>
    public ProvenanceRecord ImageRecord { get; private set; } = null!;

    /// <summary>Its EIP-712 digest: the record's id.</summary>
    public Bytes32 ImageDigest { get; private set; }

    /// <summary>A generated text, recorded and anchored, for the hash lookup.</summary>
    public byte[] AnchoredText { get; } = "A haiku from the edge:\nfour watts of silicon dream\nsigned before it speaks.\n"u8.ToArray();

    /// <summary>The record of <see cref="AnchoredText"/>.</summary>
    public ProvenanceRecord TextRecord { get; private set; } = null!;

    /// <summary>Its EIP-712 digest.</summary>
    public Bytes32 TextDigest { get; private set; }

    /// <summary>
    /// A watermarked JPEG with Content Credentials (signed by a test CA's leaf) naming <see cref="CredentialedDigest"/>,
    /// whose record went through ingest with the others.
    /// </summary>
    public byte[] CredentialedJpeg { get; private set; } = [];

    /// <summary>The digest of the record <see cref="CredentialedJpeg"/>'s credentials name.</summary>
    public Bytes32 CredentialedDigest { get; private set; }

    /// <summary>The creator named in the records.</summary>
    public EvmAddress Creator => EvmAddress.Parse(_creatorKey.GetPublicAddress());

    private readonly EthECKey _creatorKey = EthECKey.GenerateKey();

    /// <summary>The node that signed both records.</summary>
    public EvmAddress Node => EvmAddress.Parse(Deployment.NodeKey.GetPublicAddress());

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        // Chromium first: a machine without it fails here, loudly, before anything else starts.
        _playwright = await Playwright.CreateAsync();
        _browser = await LaunchChromiumAsync(_playwright);

        Deployment = await chain.DeployAsync();
        // The name the page shows for the node: its operator's advertised endpoint, read by the ledger's registry mirror.
        await Deployment.Contracts.RegistryFor(Deployment.Owner.Web3).SetNodeEndpointAsync(Node, NodeEndpoint);
        var setup = new LedgerHostSetup(Deployment, _directory);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        var enrollmentFile = Path.Combine(_directory, "watermark-enrollment.json");
        await File.WriteAllBytesAsync(
            enrollmentFile, EnrolledWatermarkKey.Create(_key, Deployment.NodeKey, Deployment.Chain.Domain, DateTimeOffset.UtcNow).ToJsonBytes());
        settings["Ledger:Verification:WatermarkEnrollmentFiles:0"] = enrollmentFile;
        // The name the page shows for the model: the manifest the ledger is given that pins the model's hash.
        var manifest = ModelManifest.Load(VerificationLedger.ShippedImageModelManifest) with { Name = ModelName, Sha256 = Deployment.ModelHash.ToString() };
        var manifestFile = Path.Combine(_directory, "model-manifest.json");
        await File.WriteAllTextAsync(manifestFile, manifest.ToJson());
        settings["Ledger:Verification:ModelManifests:0"] = manifestFile;
        _host = await LedgerHostProcess.StartAsync(settings);

        AnchoredImage = new ImageWatermarker(_key).Embed(TestPictures.Create(41), WatermarkPayload);
        AnchoredPng = ImageCodec.Encode(AnchoredImage, ImageFileFormat.Png);
        ImageRecord = NewRecord(AnchoredPng, PerceptualHasher.Compute(AnchoredImage).Bits, WatermarkIds.FromImagePayload(WatermarkPayload), sequence: 1);
        TextRecord = NewRecord(AnchoredText, Bytes32.Zero, Bytes32.Zero, sequence: 2);
        ImageDigest = ProvenanceRecordTypedData.Digest(ImageRecord, Deployment.Chain.Domain);
        TextDigest = ProvenanceRecordTypedData.Digest(TextRecord, Deployment.Chain.Domain);
        var credentialedRecord = CredentialedRecord();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        var response = await LedgerHostSetup.SubmitWhenNodeKnownAsync(http, [Sign(ImageRecord), Sign(TextRecord), Sign(credentialedRecord)]);
        Assert.All(response.Records, r => Assert.True(r.Accepted, $"record {r.RecordDigest} refused: {r.Problem}"));
        await WaitUntilAnchoredAsync(http, ImageRecord.ContentHash);
        await WaitUntilAnchoredAsync(http, TextRecord.ContentHash);
    }

    /// <summary>A fresh browser context (no shared cookies or cache) on the verification page; a desktop window unless <paramref name="options"/> say otherwise.</summary>
    public Task<VerificationPageSession> OpenPageAsync(BrowserNewContextOptions? options = null) =>
        VerificationPageSession.OpenAsync(_browser ?? throw new InvalidOperationException("The fixture is not initialized."), BaseAddress, options);

    /// <summary>A fresh page on nothing (about:blank) in its own context: a stranger's site, for framing the verification page.</summary>
    public async Task<IPage> OpenBlankPageAsync()
    {
        var context = await (_browser ?? throw new InvalidOperationException("The fixture is not initialized.")).NewContextAsync();
        return await context.NewPageAsync();
    }

    /// <summary><see cref="AnchoredImage"/> shrunk to 400 × 400 and saved as a JPEG of quality 75: a copy shared online, traced by its watermark.</summary>
    public byte[] EditedJpeg() => ImageCodec.Encode(ImageCodec.Resize(AnchoredImage, 400, 400), ImageFileFormat.Jpeg, quality: 75);

    /// <summary>A picture no node generated.</summary>
    public static byte[] UnrelatedPng() => ImageCodec.Encode(TestPictures.Create(97), ImageFileFormat.Png);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Debian's headless Chromium (never Playwright's download), as every browser test launches it.</summary>
    /// <exception cref="InvalidOperationException">When <see cref="ChromiumPath"/> is missing.</exception>
    public static async Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        // Never Playwright's own download: the system browser, or a failure that says how to get it.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/bootstrap.sh (it installs Debian's chromium package).");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArguments,
        });
    }

    private ProvenanceRecord NewRecord(byte[] content, Bytes32 perceptualHash, Bytes32 watermarkId, ulong sequence) => new(
        Bytes32.Sha256(content),
        perceptualHash,
        Deployment.ModelHash,
        Node,
        Creator,
        Bytes32.Zero,
        Bytes32.Sha256(Guid.NewGuid().ToByteArray()),
        Bytes32.Sha256("steps=20;size=512"u8),
        (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        watermarkId,
        sequence);

    // The record's claims are what the ledger recomputes from the JPEG it decodes: its perceptual hash and watermark.
    private ProvenanceRecord CredentialedRecord()
    {
        const ulong payload = 0x0c2e_d0c5_2026_0013;
        var asset = ImageCodec.Encode(new ImageWatermarker(_key).Embed(TestPictures.Create(43), payload), ImageFileFormat.Jpeg);
        var record = NewRecord(asset, PerceptualHasher.Compute(ImageCodec.Decode(asset)).Bits, WatermarkIds.FromImagePayload(payload), sequence: 3);
        CredentialedDigest = ProvenanceRecordTypedData.Digest(record, Deployment.Chain.Domain);
        CredentialedJpeg = CredentialedPictures.Sign(asset, CredentialedDigest, Node, record.ContentHash).File;
        return record;
    }

    // The records name their creator, who signs each request as a creator's client does.
    private SignedProvenanceRecord Sign(ProvenanceRecord record)
    {
        var nonce = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        var request = CreatorRequestTypedData.Sign(CreatorRequest.Of(record, nonce), Deployment.Chain.Domain, _creatorKey);
        return new(record, ProvenanceRecordTypedData.Sign(record, Deployment.Chain.Domain, Deployment.NodeKey), new CreatorProof(new CreatorRequestProof(nonce, request)));
    }

    /// <summary>Polls the API until the host's anchoring worker has put the record's batch on chain.</summary>
    private async Task WaitUntilAnchoredAsync(HttpClient http, Bytes32 contentHash)
    {
        var deadline = Stopwatch.StartNew();
        string last = "(no answer)";
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            using var response = await http.GetAsync(new Uri($"{LedgerVerification.VerifyPath}/{contentHash}", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(last);
                if (json.RootElement.TryGetProperty("anchoring", out var anchoring)
                    && anchoring.ValueKind == JsonValueKind.Object
                    && anchoring.GetProperty("inclusion").GetProperty("batch").GetProperty("state").GetString() == "Anchored")
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{contentHash} was not anchored within 60 s; last answer: {last}\n{Host.Output}");
    }
}
