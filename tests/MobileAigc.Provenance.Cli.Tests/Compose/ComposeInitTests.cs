using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Testing.Network;
using MobileAigc.Provenance.Testing.Postgres;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;
using Nethereum.Hex.HexConvertors.Extensions;
using Npgsql;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary>
/// What <c>docker compose up</c> does, run on plain processes: <c>deploy/init.sh secrets</c>, PostgreSQL given the
/// generated password, <c>deploy/init.sh</c> against anvil, then the edge node and a ledger started with the compose
/// file's own configuration (paths and host names mapped). The node must be registered, approved and serving, the
/// ledger an anchorer, and a record from the node anchored; a second init must do nothing.
/// </summary>
public sealed class ComposeInitTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly string _root = Directory.CreateTempSubdirectory("compose-init-").FullName;
    private readonly List<IAsyncDisposable> _started = [];
    private AnvilNode _anvil = null!;
    private PostgresServer _postgres = null!;

    public async Task InitializeAsync()
    {
        // The compose chain mines every 2 s; here every second, so the ledger's default confirmations come soon.
        _anvil = await AnvilNode.StartAsync(new AnvilOptions { BlockTimeSeconds = 1 });
        _postgres = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var started in Enumerable.Reverse(_started))
        {
            await started.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        await _anvil.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task InitThenServices_AsComposeConfiguresThem_NodeServesAndItsRecordsAreAnchored_AndASecondInitDoesNothing()
    {
        var compose = await ComposeFile.LoadAsync();
        var ledgerUrl = new Uri($"http://127.0.0.1:{FreePorts.Loopback()}/");
        var mapping = new ComposeEnvironment(_root,
            new Dictionary<string, Uri> { ["http://chain:8545"] = _anvil.RpcUrl, ["http://ledger:8080/"] = ledgerUrl },
            $"Host=127.0.0.1;Port={_postgres.Port}");

        var secrets = await RunInitAsync(compose, mapping, "secrets");
        Assert.True(secrets.ExitCode == 0, secrets.Output + secrets.Error);
        await CreateDatabaseAsPostgresImageWouldAsync(compose, mapping);

        var first = await RunInitAsync(compose, mapping, "all");
        Assert.True(first.ExitCode == 0, first.Output + first.Error);

        // In compose order: the ledger waits for the node's health check (it reads the enrollment the node writes at start).
        var node = await StartAsync("edge-node", "MobileAigc.Provenance.EdgeNode.Host", "edge-node.dll", compose, mapping, port: null);
        await AssertHealthCheckPassesAsync(compose.Service("edge-node"), node.BaseAddress);
        var ledger = await StartAsync("ledger", "MobileAigc.Provenance.Ledger.Host", "ledger.dll", compose, mapping, port: ledgerUrl.Port);
        await AssertHealthCheckPassesAsync(compose.Service("ledger"), ledgerUrl);

        var deployment = await DeploymentFile.ReadAsync(mapping.MapPath("/var/lib/provenance/deployment/deployment.json"));
        var operatorAddress = await AddressAsync(mapping.MapPath("/var/lib/provenance/operator/operator.json"));
        var anchorer = await AddressAsync(mapping.MapPath("/var/lib/provenance/ledger-secrets/anchorer.keystore.json"));
        var nodeAddress = await AddressAsync(mapping.MapPath("/var/lib/provenance/node/node-keystore.json"));
        var models = Directory.GetFiles(RepositoryPaths.Models, "model.onnx", SearchOption.AllDirectories).Order().ToList();
        var shown = await CliRunner.RunAsync(["node", "show", "--deployment", mapping.MapPath("/var/lib/provenance/deployment/deployment.json"),
            "--rpc", _anvil.RpcUrl.ToString(), "--node", nodeAddress, .. models.SelectMany(m => new[] { "--model", m })]);

        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains($"registered, operator {operatorAddress}", shown.Output, StringComparison.Ordinal);
        Assert.Equal(models.Count, shown.Output.Split('\n').Count(l => l.EndsWith("approved yes, authorised yes", StringComparison.Ordinal)));
        var ledgerContract = new ProvenanceLedgerService(new Nethereum.Web3.Web3(_anvil.RpcUrl.ToString()), deployment.Contracts.ProvenanceLedger.ToString());
        Assert.True(await ledgerContract.IsAnchorerQueryAsync(anchorer));

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var generated = await http.PostAsJsonAsync(new Uri(node.BaseAddress, EdgeRoutes.GenerateText), new GenerateTextRequest("In the beginning", MaxNewTokens: 12));
        Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());
        var text = (await generated.Content.ReadFromJsonAsync<GenerateTextResponse>())!;
        var proof = await WaitForAnchoredProofAsync(http, ledgerUrl, text.RecordDigest.ToString());
        Assert.Equal(anchorer, (await ledgerContract.AnchorerOfRootQueryAsync(proof.GetProperty("root").GetString()!.HexToByteArray())), StringComparer.OrdinalIgnoreCase);

        foreach (var service in new[] { "edge-node", "ledger" })
        {
            // Every file the compose file names for the service, created by init or by the node before the ledger starts.
            foreach (var (name, value) in compose.Service(service).Environment.Where(e => e.Value.StartsWith("/var/lib/provenance/", StringComparison.Ordinal)))
            {
                var path = mapping.MapPath(value);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{service}: {name} names {value}, which nothing created");
            }
        }

        var web3 = new Nethereum.Web3.Web3(_anvil.RpcUrl.ToString());
        var owner = await AddressAsync(mapping.MapPath("/var/lib/provenance/operator/model-owner.json"));
        var noncesBefore = (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(operatorAddress), await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(owner));
        var second = await RunInitAsync(compose, mapping, "all");
        var noncesAfter = (await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(operatorAddress), await web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(owner));

        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Equal(noncesBefore.Item1.Value, noncesAfter.Item1.Value);
        Assert.Equal(noncesBefore.Item2.Value, noncesAfter.Item2.Value);
        Assert.DoesNotContain("created", second.Error, StringComparison.Ordinal);
        Assert.Contains($"node {nodeAddress} registered already", second.Error, StringComparison.Ordinal);
        Assert.Contains($"ledger account {anchorer} may anchor already", second.Error, StringComparison.Ordinal);
        Assert.False(node.HasExited || ledger.HasExited);
    }

    private async Task<ProcessResult> RunInitAsync(ComposeFile compose, ComposeEnvironment mapping, string step)
    {
        var environment = (await mapping.ForAsync(compose.Service("init"))).ToDictionary(p => p.Key, string? (p) => p.Value);
        foreach (var (name, path) in InitScript.DirectoryDefaults())
        {
            environment[name] = mapping.MapPath(path);
        }

        environment["PROVENANCE_CLI"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "provenance.dll")}";
        return await ChildProcess.RunAsync("bash", [InitScript.Path, step], environment: environment, timeout: TimeSpan.FromMinutes(6));
    }

    // The postgres image's first start: the compose user and database, with the password from its secret file.
    private async Task CreateDatabaseAsPostgresImageWouldAsync(ComposeFile compose, ComposeEnvironment mapping)
    {
        var postgres = compose.Service("postgres").Environment;
        var password = await File.ReadAllTextAsync(mapping.MapPath(postgres["POSTGRES_PASSWORD_FILE"]));
        Assert.Matches("^[0-9a-f]{48}$", password);
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        // Names from the compose file and a hex password checked above: nothing to quote.
#pragma warning disable CA2100
        await using (var role = new NpgsqlCommand($"CREATE ROLE \"{postgres["POSTGRES_USER"]}\" LOGIN PASSWORD '{password}'", connection))
        {
            await role.ExecuteNonQueryAsync();
        }

        await using var database = new NpgsqlCommand($"CREATE DATABASE \"{postgres["POSTGRES_DB"]}\" OWNER \"{postgres["POSTGRES_USER"]}\"", connection);
#pragma warning restore CA2100
        await database.ExecuteNonQueryAsync();
    }

    private async Task<HostProcess> StartAsync(string service, string project, string assembly, ComposeFile compose, ComposeEnvironment mapping, int? port)
    {
        // A named volume is a folder by the time its container starts, even one no other service mounted before.
        foreach (var mount in compose.Service(service).Mounts)
        {
            Directory.CreateDirectory(mapping.MapPath(mount.Target));
        }

        var host = await HostProcess.StartAsync(HostProcessOptions.ForAspNetCore(service, RepositoryPaths.BuiltAssembly(project, assembly)) with
        {
            Environment = await mapping.ForAsync(compose.Service(service)),
            Port = port,
            StartTimeout = TimeSpan.FromMinutes(2),
            LogFile = Path.Combine(_root, $"{service}.log"),
        });
        _started.Add(host);
        return host;
    }

    // The compose health check, run by bash as in the container, against the host's port instead of 8080.
    private static async Task AssertHealthCheckPassesAsync(ComposeService service, Uri host)
    {
        var check = service.HealthCheck.Select(a => a.Replace("127.0.0.1/8080", $"127.0.0.1/{host.Port}", StringComparison.Ordinal)).ToList();
        Assert.Equal("bash", check[0]);
        var healthy = await ChildProcess.RunAsync(check[0], check.Skip(1));
        Assert.True(healthy.ExitCode == 0, $"{service.Name}'s compose health check fails against the running host: {healthy.Error}");
    }

    private static async Task<string> AddressAsync(string keystore)
    {
        var result = await CliRunner.RunAsync("keystore", "address", keystore);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output.Trim();
    }

    private static async Task<JsonElement> WaitForAnchoredProofAsync(HttpClient http, Uri ledger, string digest)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var last = "";
        while (waited.Elapsed < Patience)
        {
            using var response = await http.GetAsync(new Uri(ledger, $"api/audit/records/{digest}/proof"));
            last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (document.RootElement.GetProperty("batch").GetProperty("state").GetString() == nameof(BatchState.Anchored))
                {
                    return document.RootElement.Clone();
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new TimeoutException($"record {digest} was not anchored within {Patience}; the ledger's last answer: {last}");
    }
}
