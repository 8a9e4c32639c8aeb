using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Network;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;
using Nethereum.KeyStore;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance demo --serve</c> as a user runs it: a real process left serving; a second "terminal" (this test) uses
/// what the banner prints, then Ctrl-C stops every process the demo started.
/// </summary>
public sealed partial class DemoServeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("demo-serve-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DemoServe_LeavesTheNetworkTheBannerDescribes_AndSigintStopsEveryProcess()
    {
        var (anvilPort, ledgerPort, nodePort) = DistinctFreePorts();
        var output = Path.Combine(_directory, "out");
        await using var demo = ServingDemo.Start(
            "--images", "0", "--texts", "1", "--models", RepositoryPaths.Models, "--out", output,
            "--anvil-port", Invariant(anvilPort), "--ledger-port", Invariant(ledgerPort), "--node-port", Invariant(nodePort));
        var banner = await demo.WaitForLineAsync(line => line.StartsWith("ready: ", StringComparison.Ordinal), TimeSpan.FromMinutes(8));

        var ledger = new Uri($"http://127.0.0.1:{ledgerPort}/");
        var node = new Uri($"http://127.0.0.1:{nodePort}/");
        Assert.Contains($"Verification page  {ledger}", banner);
        Assert.Contains($"API reference      {ledger}scalar/v1", banner);
        Assert.Contains($"Chain (anvil)      http://127.0.0.1:{anvilPort}/", banner);
        var deploymentFile = Path.Combine(output, "deployment.json");
        Assert.Contains($"Deployment file    {deploymentFile}", banner);
        Assert.True(File.Exists(deploymentFile));
        var nodeAddress = EvmAddress.Parse(Regex.Match(banner, @"node address (0x[0-9a-fA-F]{40})").Groups[1].Value);
        var creator = Keystore(banner, "creator");
        // Every actor's keystore and passphrase are owner-only, in an owner-only folder.
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        foreach (var role in new[] { "creator", "provider", "model owner", "operator" })
        {
            var keystore = Keystore(banner, role);
            Assert.Equal(ownerOnly, File.GetUnixFileMode(keystore.Keystore));
            Assert.Equal(ownerOnly, File.GetUnixFileMode(keystore.PassphraseFile));
        }

        Assert.Equal(ownerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(output, "keys")));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(ledger, "scalar/v1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(ledger)).StatusCode);

        // The creator generates a text through the node, signing the request with the key in the printed keystore.
        var creatorKey = new EthECKey(new KeyStoreService().DecryptKeyStoreFromJson(
            (await File.ReadAllTextAsync(creator.PassphraseFile)).Trim(), await File.ReadAllTextAsync(creator.Keystore)), isPrivate: true);
        Assert.Equal(creator.Address, EvmAddress.Parse(creatorKey.GetPublicAddress()));
        using var nodeHttp = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(120) };
        var client = new EdgeNodeClient(nodeHttp, creatorKey);
        var text = await client.GenerateTextAsync(
            new GenerateTextRequest("In the beginning", MaxNewTokens: 120, Creator: new CreatorIdentity(creator.Address)), channelId: null);
        Assert.Equal(nodeAddress, text.Record.Record.Node);
        Assert.Equal(creator.Address, text.Record.Record.Creator);

        // Anyone verifies it on the ledger once the node has delivered its record.
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Text)));
        var verified = await WaitUntilAsync(
            async () => await http.GetFromJsonAsync<VerificationResult>(new Uri(ledger, $"{LedgerVerification.VerifyPath}/{sha256}")),
            result => result!.Verdict == VerificationVerdict.Verified, demo);
        Assert.Equal(text.RecordDigest, verified!.Record!.Digest);

        // The auditor reads the records with the admin key the banner points to.
        var adminKey = Regex.Match(banner, @"admin key file (\S+)").Groups[1].Value;
        using var audit = new HttpRequestMessage(HttpMethod.Get, new Uri(ledger, "api/audit/records"));
        audit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(adminKey)).Trim());
        using var records = await http.SendAsync(audit);
        Assert.Equal(HttpStatusCode.OK, records.StatusCode);
        Assert.Contains(text.RecordDigest.ToString(), await records.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // Every printed command works as printed, in a shell, from another folder.
        var commands = banner.Split('\n').Where(l => l.StartsWith("  $ ", StringComparison.Ordinal)).Select(l => l[4..].TrimEnd('\r')).ToList();
        Assert.InRange(commands.Count, 3, 5);
        var terminal = Directory.CreateDirectory(Path.Combine(_directory, "terminal")).FullName;
        foreach (var command in commands)
        {
            var run = await WaitUntilAsync(
                () => ChildProcess.RunAsync("bash", ["-c", command], workingDirectory: terminal),
                result => result.ExitCode == 0 && (!command.Contains("api/verify", StringComparison.Ordinal) || result.Output.Contains("\"verdict\":\"verified\"", StringComparison.Ordinal)),
                demo, describe: result => $"{command}\nexit {result.ExitCode}: {result.Output}{result.Error}");
            Assert.Equal(0, run.ExitCode);
        }

        // Ctrl-C: the demo stops anvil, the ledger and the node, says so, and exits 0.
        var started = ProcessTree.Descendants(demo.ProcessId);
        Assert.True(started.Count >= 3, $"the demo runs {started.Count} processes: {string.Join(", ", started)}");
        await demo.SignalAsync("INT");
        Assert.Equal(0, await demo.WaitForExitAsync(Patience));
        Assert.Contains(demo.Lines, l => l.Contains("Stopped the ledger and the edge node", StringComparison.Ordinal));
        Assert.Contains(demo.Lines, l => l.Contains("every process the demo started has stopped", StringComparison.Ordinal));
        await WaitUntilAsync(() => Task.FromResult(started.Where(ProcessTree.IsRunning).ToList()), running => running.Count == 0, demo,
            describe: running => $"still running: {string.Join(", ", running)}");
        foreach (var port in new[] { anvilPort, ledgerPort, nodePort })
        {
            await WaitUntilAsync(() => IsListeningAsync(port), listening => !listening, demo, describe: _ => $"port {port} still open");
        }
    }

    [Fact]
    public async Task DemoServe_PortInUse_ExitsOneNamingThePortAndItsOption()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (anvilPort, _, nodePort) = DistinctFreePorts();

        var (exitCode, _, error) = await CliRunner.RunAsync(
            "demo", "--serve", "--out", Path.Combine(_directory, "out"), "--ledger-port", Invariant(port),
            "--anvil-port", Invariant(anvilPort), "--node-port", Invariant(nodePort));

        Assert.Equal(1, exitCode);
        Assert.Contains($"Port {port} on 127.0.0.1 is in use", error, StringComparison.Ordinal);
        Assert.Contains("--ledger-port", error, StringComparison.Ordinal);
    }

    private static (int Anvil, int Ledger, int Node) DistinctFreePorts()
    {
        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(FreePorts.Loopback());
        }

        var list = ports.ToList();
        return (list[0], list[1], list[2]);
    }

    private static (EvmAddress Address, string Keystore, string PassphraseFile) Keystore(string banner, string role)
    {
        var match = Regex.Match(banner, $@"^  {Regex.Escape(role)} +(0x[0-9a-fA-F]{{40}}) (\S+) (\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"no {role} keystore in the banner:\n{banner}");
        return (EvmAddress.Parse(match.Groups[1].Value), match.Groups[2].Value, match.Groups[3].Value);
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // Reads until done holds; fails with the last reading and the demo's output after Patience, or when the demo exits early.
    private static async Task<T> WaitUntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, ServingDemo demo, Func<T, string>? describe = null)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var reading = await read();
            if (done(reading))
            {
                return reading;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"waited {Patience.TotalSeconds:0} s; last: {(describe is null ? reading : describe(reading))}\n{string.Join('\n', demo.Lines.TakeLast(30))}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
