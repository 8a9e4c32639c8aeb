using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance model lineage</c> against the real ledger process, which indexes a root model and a derivative
/// registered (commit-reveal) by two owners on a real anvil.
/// </summary>
public sealed class ModelLineageCommandTests(ModelLineageLedger fixture) : IClassFixture<ModelLineageLedger>
{
    [Fact]
    public async Task ModelLineage_DerivativeByItsFile_PrintsDerivativeThenRootWithOwnersTermsAndRoyalties()
    {
        var result = await CliRunner.RunAsync("model", "lineage", "--ledger", fixture.Ledger, "--model", fixture.TunedFile);

        Assert.True(result.ExitCode == 0, result.Error);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"model {fixture.Tuned}: 2 model(s), derivative first, root last (registry indexed through block ", lines[0], StringComparison.Ordinal);
        Assert.Contains("settlements not indexed", lines[0], StringComparison.Ordinal);
        Assert.StartsWith($"depth 0 derivative {fixture.Tuned}: owner {fixture.Tuner.Address} since block ", lines[1], StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("price 4000, royalty 1250 bps, active; royalties received: none", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"depth 1 root {fixture.Root}: owner {fixture.RootOwner.Address} since block ", lines[2], StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("price 1000, royalty 500 bps, active; royalties received: none", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task ModelLineage_UnknownModel_ExitsOneWithTheLedgersProblem()
    {
        var unknown = Bytes32.Sha256("never registered"u8);

        var result = await CliRunner.RunAsync("model", "lineage", "--ledger", fixture.Ledger, "--model", unknown.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("404", result.Error, StringComparison.Ordinal);
        Assert.Contains(RecordProblemTypes.UnknownModel, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0x1234", "--model must be a 0x model hash or an .onnx file")]
    [InlineData("/no/such/model.onnx", "--model must be a 0x model hash or an .onnx file")]
    public async Task ModelLineage_BadModel_ExitsOneNamingTheOption(string model, string expected)
    {
        var result = await CliRunner.RunAsync("model", "lineage", "--ledger", fixture.Ledger, "--model", model);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelLineage_LedgerUnreachable_ExitsOneSayingSo()
    {
        var result = await CliRunner.RunAsync("model", "lineage", "--ledger", "http://127.0.0.1:9/", "--model", fixture.Tuned.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not answer", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelLineage_LedgerNotAUrl_ExitsOneNamingTheOption()
    {
        var result = await CliRunner.RunAsync("model", "lineage", "--ledger", "ledger.example", "--model", fixture.Tuned.ToString());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--ledger must be an http(s) URL", result.Error, StringComparison.Ordinal);
    }
}

/// <summary>A real anvil with a root model and a derivative, and the real ledger process that indexed both.</summary>
public sealed class ModelLineageLedger : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-lineage-").FullName;
    private AnvilNode _anvil = null!;
    private HostProcess _ledger = null!;

    /// <summary>The root model.</summary>
    public Bytes32 Root { get; } = Bytes32.Sha256(Guid.NewGuid().ToByteArray());

    /// <summary>Its owner.</summary>
    public FundedAccount RootOwner { get; private set; } = null!;

    /// <summary>The derivative's owner.</summary>
    public FundedAccount Tuner { get; private set; } = null!;

    /// <summary>The derivative's .onnx file.</summary>
    public string TunedFile { get; private set; } = "";

    /// <summary>The derivative's hash.</summary>
    public Bytes32 Tuned { get; private set; }

    /// <summary>The ledger's base URL.</summary>
    public string Ledger => _ledger.BaseAddress.ToString();

    public async Task InitializeAsync()
    {
        _anvil = await AnvilNode.StartAsync(new AnvilOptions());
        var deployer = await FundedAccounts.CreateAsync(_anvil);
        var contracts = await ProvenanceContracts.DeployAsync(deployer.Web3) with { AwaitBlock = _anvil.MineUntilAsync };
        RootOwner = await FundedAccounts.CreateAsync(_anvil);
        Tuner = await FundedAccounts.CreateAsync(_anvil);
        // The derivative is named by its .onnx file, as a creator who fine-tuned it holds it.
        TunedFile = Path.Combine(_dir, "tuned.onnx");
        await File.WriteAllBytesAsync(TunedFile, Guid.NewGuid().ToByteArray());
        Tuned = Bytes32.Sha256(await File.ReadAllBytesAsync(TunedFile));
        await contracts.RegistryFor(RootOwner.Web3).RegisterModelAsync(Root, "ipfs://root", 1_000, 500);
        await contracts.RegistryFor(Tuner.Web3).RegisterDerivedModelAsync(Tuned, Root, "ipfs://tuned", 4_000, 1_250);

        _ledger = await HostProcess.StartAsync(HostProcessOptions.ForAspNetCore("ledger", RepositoryPaths.BuiltAssembly("MobileAigc.Provenance.Ledger.Host", "ledger.dll"))
            .WithSettings(new Dictionary<string, string>
            {
                ["Logging:LogLevel:Default"] = "Warning",
                ["Ledger:Database:DataDirectory"] = Path.Combine(_dir, "db"),
                ["Ledger:Chain:RpcUrl"] = _anvil.RpcUrl.ToString(),
                ["Ledger:Chain:ChainId"] = _anvil.ChainId.ToString(CultureInfo.InvariantCulture),
                ["Ledger:Chain:ModelRegistry"] = contracts.ModelRegistry.ToString(),
                ["Ledger:Chain:ProvenanceLedger"] = contracts.ProvenanceLedger.ToString(),
                ["Ledger:Chain:Confirmations"] = "0",
                ["Ledger:Chain:PollInterval"] = "00:00:00.100",
            }));
        await WaitUntilIndexedAsync();
    }

    public async Task DisposeAsync()
    {
        // A start that failed half-way leaves what it did not start null.
        if (_ledger is not null)
        {
            await _ledger.DisposeAsync();
        }

        if (_anvil is not null)
        {
            await _anvil.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    // The registry indexer runs in the background: poll until it has read both registrations.
    private async Task WaitUntilIndexedAsync()
    {
        using var http = new HttpClient { BaseAddress = _ledger.BaseAddress };
        var waited = Stopwatch.StartNew();
        var last = "(no answer)";
        while (waited.Elapsed < TimeSpan.FromSeconds(90))
        {
            using var response = await http.GetAsync(new Uri(LedgerModels.LineagePath(Tuned), UriKind.Relative));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<ModelLineage>())?.Models.Count == 2)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The ledger did not index the lineage in time; last answer: {last}\n{_ledger.OutputTail()}");
    }
}
