using System.Text.Json;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance edge generate image</c> run as a user would: a node's data folder made by the first run, the shipped
/// models, and one PNG and one JPEG generated once per test class (each run loads the models, so they are shared).
/// </summary>
public sealed class EdgeCliNode : IAsyncLifetime
{
    /// <summary>The <c>ProvenanceLedger</c> address the records are signed for.</summary>
    public const string LedgerContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    /// <summary>The prompt of <see cref="Png"/> and <see cref="Jpeg"/>.</summary>
    public const string Prompt = "a harbour in the rain";

    /// <summary>The seed of <see cref="Png"/>.</summary>
    public const ulong PngSeed = 5;

    private readonly string _directory = Directory.CreateTempSubdirectory("cli-edge-").FullName;

    /// <summary>The node's data folder.</summary>
    public string DataDirectory => Path.Combine(_directory, "node");

    /// <summary>The development CA the node made at its first start: the anchor its C2PA chain ends in.</summary>
    public string DevelopmentCa => Path.Combine(DataDirectory, "c2pa", "development-ca", "ca.pem");

    /// <summary>A PNG the node generated from <see cref="Prompt"/> and <see cref="PngSeed"/>.</summary>
    public string Png => Path.Combine(_directory, "plain.png");

    /// <summary>A JPEG the node generated.</summary>
    public string Jpeg => Path.Combine(_directory, "plain.jpg");

    /// <summary>The record digest of <see cref="Png"/>, from its <c>.record.json</c>.</summary>
    public Bytes32 PngRecord { get; private set; }

    /// <summary>The record digest of <see cref="Jpeg"/>.</summary>
    public Bytes32 JpegRecord { get; private set; }

    /// <summary>The passphrase of the node's keystore, as the user's shell would set it.</summary>
    public static IReadOnlyDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>
    {
        ["EDGE_NODE_PASSPHRASE"] = "a long enough passphrase for the cli tests",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        PngRecord = await GenerateAsync(Png, PngSeed);
        JpegRecord = await GenerateAsync(Jpeg, 6, "--format", "jpeg");
    }

    /// <summary>A file path in this fixture's folder.</summary>
    public string File(string name) => Path.Combine(_directory, name);

    /// <summary>Runs <c>edge generate image</c> on this node with <paramref name="options"/> added to the common ones.</summary>
    public Task<(int ExitCode, string Output, string Error)> RunGenerateAsync(string dataDirectory, params string[] options) =>
        CliRunner.RunWithEnvironmentAsync(
            Environment,
            ["edge", "generate", "image", "--prompt", Prompt, "--data-dir", dataDirectory, "--models", RepositoryPaths.Models,
             "--ledger-contract", LedgerContract, .. options]);

    /// <summary>Generates <paramref name="output"/> and returns its record digest; fails the test when the command fails.</summary>
    public async Task<Bytes32> GenerateAsync(string output, ulong seed, params string[] options)
    {
        var result = await RunGenerateAsync(DataDirectory, ["--out", output, "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), .. options]);
        Assert.True(result.ExitCode == 0, $"edge generate image failed ({result.ExitCode}): {result.Error}\n{result.Output}");
        return RecordDigest(output);
    }

    /// <summary>The <c>.record.json</c> written beside <paramref name="output"/>.</summary>
    public static JsonDocument RecordFile(string output) => JsonDocument.Parse(System.IO.File.ReadAllText(output + ".record.json"));

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static Bytes32 RecordDigest(string output)
    {
        using var json = RecordFile(output);
        return Bytes32.Parse(json.RootElement.GetProperty("recordDigest").GetString()!);
    }
}
