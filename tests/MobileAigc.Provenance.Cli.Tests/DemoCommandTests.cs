using System.Globalization;
using System.Text.RegularExpressions;

namespace MobileAigc.Provenance.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_OnAManagedAnvil_CompletesEveryStep()
    {
        var outputDirectory = Directory.CreateTempSubdirectory("demo-").FullName;
        var (exitCode, output, error) = await CliRunner.RunAsync(
            "demo", "--images", "1", "--texts", "1", "--models", Path.Combine(RepositoryRoot(), "models"), "--out", outputDirectory);

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("2 signed records accepted by POST api/records", output);
        Assert.Contains("2 of 2 proofs from the ledger's API accepted by ProvenanceLedger.verifyInclusion", output);
        Assert.Contains("2 proofs pulled from POST api/records/evidence, each checked against its root on chain", output);
        Assert.Contains("Creator verified image-0.png on the ledger: verified", output);
        // The delivered file's own SHA-256 (credentials included) finds the record through the node's signed statement.
        Assert.Matches(@"Anyone verified the sha256sum of image-0\.png \(GET api/verify/\{sha256\}\): verified by ContentHash \(matched by DeliveredFile\) → record 0x[0-9a-f]{64}", output);
        Assert.Contains("modified-but-traced by ImageWatermark", output);
        // A mirrored copy: the record's signed PDQ is searched in all eight turns and mirrors (a watermark read that
        // searches flips, when there is one, finds it first).
        Assert.Matches(@"Creator verified a mirrored copy \(flipped left to right, JPEG 80\): modified-but-traced by (Pdq|ImageWatermark)", output);

        // Our C2PA reader and the official SDK (tools/c2pa-sdk, installed by the bootstrap) read the image alike, and
        // the edited copy, re-encoded, has lost its credentials: only its watermark traced it.
        var ours = Regex.Match(output, @"Content Credentials of image-0\.png \(our C2PA reader\): (\w+)").Groups[1].Value;
        var sdk = Regex.Match(output, @"Official C2PA SDK \(c2pa-rs wasm\) read image-0\.png: (\w+)").Groups[1].Value;
        Assert.True(ours is "none" or "Valid", output);
        Assert.Equal(ours == "none" ? "no" : ours, sdk);
        Assert.Contains("Content Credentials of image-0-edited.jpg (our C2PA reader): none", output);
        Assert.Contains("modified-but-traced by TextWatermark", output);
        Assert.Contains("batch root re-checked on chain just now: True", output);
        Assert.Contains(" ok, 0 differences", output);
        Assert.Contains("Auditor read the dashboard: 2 records (2 anchored) from 1 node(s) and 2 model(s)", output);
        Assert.True(File.Exists(Path.Combine(outputDirectory, "image-0.png.record.json")));
        Assert.Contains("skipped: NonceTooLow", output);
        Assert.Contains("round trip complete", output);

        // The creator's personalised model: fine-tuned at the node, registered as a derivative, paid for, and the whole
        // lineage credited to the wei (the demo itself compares every credit with the contract's split and fails otherwise).
        Assert.Matches(@"Node fine-tuned kjv-char-mlp-factbook: 1000 training steps in [\d.]+ s; held-out loss [\d.]+ → [\d.]+ nats per character \((\d+) % lower\)", output);
        Assert.True(int.Parse(Regex.Match(output, @"nats per character \((\d+) % lower\)").Groups[1].Value, CultureInfo.InvariantCulture) >= 20, output);
        Assert.Contains("Creator registered kjv-char-mlp-factbook as a derivative and approved the node", output);
        Assert.Matches(@"Node generated personal-text-1\.txt: \d+ characters with kjv-char-mlp-factbook", output);
        Assert.Contains("Settlement paid the whole lineage, to the wei: 0.0002 ETH for 2 texts", output);
        Assert.Matches(@"Auditor read the derivative's lineage on the ledger: 0x[0-9a-f]{8}… \(owner 0x[0-9a-fA-F]{40}, royalty 5 %, received 0\.00001 ETH\) → kjv-char-mlp \(owner 0x[0-9a-fA-F]{40}, royalty 10 %, received 0\.00002 ETH\); complete: True", output);
        Assert.True(File.Exists(Path.Combine(outputDirectory, "personal-text-0.txt.record.json")));
        // The creator's texts never reach the node's disk for longer than the job.
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(outputDirectory, "node"), "*", SearchOption.AllDirectories),
            f => !f.EndsWith(".log", StringComparison.Ordinal) && File.ReadAllText(f).Contains("Algeria", StringComparison.Ordinal));

        // The creator probed the node's loopback endpoint only because the demo names the local development scope.
        Assert.Matches(@"Creator discovered the model's offers: node \S+ at http://127\.0\.0\.1:\d+/ \(answers in \d+ ms\)", output);

        // Every secret the demo and the node wrote is owner-only from the start, in owner-only folders.
        var ownerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var secret in new[]
        {
            "node/passphrase", "node/node-keystore.json", "node/watermark.key", "node/watermark-enrollment.json", "node/provider.key",
            "ledger/anchorer.passphrase", "ledger/anchorer.keystore.json", "ledger/admin.key",
        })
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(outputDirectory, secret)) == ownerOnlyFile, $"{secret} is {File.GetUnixFileMode(Path.Combine(outputDirectory, secret))}");
        }

        Assert.All(new[] { "node", "ledger" }, folder =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(outputDirectory, folder))));

        // The services ran as processes of their own: their logs are kept, and they are gone with the demo.
        Assert.True(File.Exists(Path.Combine(outputDirectory, "ledger", "ledger.log")));
        Assert.True(File.Exists(Path.Combine(outputDirectory, "node", "node.log")));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var service in new[] { "Ledger service started", "Edge node started" })
        {
            var address = Regex.Match(output, service + @": (http://127\.0\.0\.1:\d+/)").Groups[1].Value;
            Assert.StartsWith("http://", address, StringComparison.Ordinal);
            await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(new Uri(address), "health")));
        }
    }

    [Fact]
    public async Task Demo_LedgerHostMissing_ExitsOneNamingIt()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("demo", "--ledger-host", "/no/ledger/here.dll");

        Assert.Equal(1, exitCode);
        Assert.Contains("demo failed: No host assembly at '/no/ledger/here.dll' (--ledger-host)", error);
    }

    [Theory]
    [InlineData("--images", "-1")]
    [InlineData("--texts", "1001")]
    [InlineData("--images", "many")]
    [InlineData("--images", "0", "--texts", "0")]
    [InlineData("--models", "/does/not/exist")]
    [InlineData("--no-such-option")]
    public async Task Demo_BadArguments_ExitNonZeroWithAMessage(params string[] arguments)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["demo", .. arguments]);

        Assert.NotEqual(0, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Demo_AnvilMissing_ExitsNonZeroNamingIt()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("demo", "--anvil", "/no/anvil/here");

        Assert.Equal(1, exitCode);
        Assert.Contains("demo failed: No anvil executable at '/no/anvil/here'", error);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root is not above the test binaries.");
    }
}
