using System.Globalization;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// A real <c>edge-node</c> host process (payments off, the shipped models) that <c>provenance edge fine-tune</c> talks to over
/// HTTP, and a creator's keystore made with <c>provenance keystore new</c>. Each job trains <see cref="Steps"/> steps.
/// </summary>
public abstract class FineTuneCliNode : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cli-fine-tune-").FullName;
    private HostProcess? _host;

    /// <summary>The shipped creator sample: one example per line.</summary>
    public static string SampleFile => Path.Combine(RepositoryPaths.Models, "samples", "factbook-creator.txt");

    /// <summary>The examples of <see cref="SampleFile"/> as the CLI sends them (blank lines skipped).</summary>
    public static IReadOnlyList<string> Sample { get; } = System.IO.File.ReadAllLines(SampleFile).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();

    /// <summary>The node's base URL.</summary>
    public string Url => _host!.BaseAddress.ToString();

    /// <summary>The creator's keystore file.</summary>
    public string Keystore => File("creator.json");

    /// <summary>The file holding its passphrase.</summary>
    public string Passphrase => File("creator.passphrase");

    /// <summary>The creator's address.</summary>
    public EvmAddress Creator { get; private set; }

    /// <summary>Training steps per job at this node.</summary>
    protected abstract int Steps { get; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await System.IO.File.WriteAllTextAsync(Passphrase, "a creator's passphrase for the fine-tune tests\n");
        var created = await CliRunner.RunAsync("keystore", "new", "--out", Keystore, "--passphrase-file", Passphrase, "--light-kdf");
        Assert.True(created.ExitCode == 0, created.Error);
        var shown = await CliRunner.RunAsync("keystore", "address", Keystore);
        Creator = EvmAddress.Parse(shown.Output.Trim());

        var data = File("node");
        Directory.CreateDirectory(data);
        _host = await HostProcess.StartAsync(HostProcessOptions.ForAspNetCore("edge-node", RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.EdgeNode.Host", "edge-node.dll")) with
        {
            Environment = new Dictionary<string, string>
            {
                ["EDGE_NODE_PASSPHRASE"] = "a long enough passphrase for the fine-tune cli tests",
                ["EdgeNode__DataDirectory"] = data,
                ["EdgeNode__ModelsDirectory"] = RepositoryPaths.Models,
                ["EdgeNode__ProvenanceLedger"] = EdgeCliNode.LedgerContract,
                ["EdgeNode__FineTuning__Steps"] = Steps.ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
            },
            WorkingDirectory = data,
            Readiness = HostReadiness.Success,
        });
    }

    /// <summary>A file path in this fixture's folder.</summary>
    public string File(string name) => Path.Combine(_directory, name);

    /// <summary>Runs <c>edge fine-tune start</c> at this node as the creator, with <paramref name="options"/> added.</summary>
    public Task<(int ExitCode, string Output, string Error)> StartAsync(params string[] options) =>
        CliRunner.RunAsync(["edge", "fine-tune", "start", "--node", Url, "--creator-keystore", Keystore, "--creator-passphrase-file", Passphrase, .. options]);

    /// <summary>The models the node lists (<c>GET v1/models</c>).</summary>
    public async Task<List<ServedModelInfo>> ModelsAsync()
    {
        using var http = new HttpClient { BaseAddress = _host!.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return (await http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!;
    }

    /// <summary>The job id <c>edge fine-tune start</c> printed.</summary>
    public static string JobId(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, "job ([0-9a-f]{32}) accepted") is { Success: true } match
            ? match.Groups[1].Value
            : throw new Xunit.Sdk.XunitException($"no job id in: {output}");

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A node whose jobs finish in seconds.</summary>
public sealed class ShortFineTuneCliNode : FineTuneCliNode
{
    /// <inheritdoc />
    protected override int Steps => 120;
}

/// <summary>A node whose jobs train for far longer than any test: a job there is queued or running when it is cancelled.</summary>
public sealed class LongFineTuneCliNode : FineTuneCliNode
{
    /// <inheritdoc />
    protected override int Steps => 100_000;
}
