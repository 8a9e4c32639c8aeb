using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>The real <c>edge-node</c> host as a child process on a free loopback port, with the shipped models.</summary>
public sealed class EdgeNodeHost : IAsyncDisposable
{
    public const string Passphrase = "edge node test passphrase";
    public const string LedgerContract = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    private readonly Process _process;

    private EdgeNodeHost(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts the host on <paramref name="dataDirectory"/>, delivering to <paramref name="ledger"/>, with more <paramref name="settings"/> (environment variables such as <c>Payments__RpcUrl</c>).</summary>
    public static async Task<EdgeNodeHost> StartAsync(string dataDirectory, Uri? ledger, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssembly(), "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        startInfo.Environment["EDGE_NODE_PASSPHRASE"] = Passphrase;
        startInfo.Environment["EdgeNode__DataDirectory"] = dataDirectory;
        startInfo.Environment["EdgeNode__ModelsDirectory"] = Path.Combine(RepositoryRoot(), "models");
        startInfo.Environment["EdgeNode__ProvenanceLedger"] = LedgerContract;
        startInfo.Environment["Ledger__PollInterval"] = "00:00:00.100";
        startInfo.Environment["Ledger__MinBackoff"] = "00:00:00.100";
        startInfo.Environment["Ledger__MaxBackoff"] = "00:00:00.500";
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        if (ledger is not null)
        {
            startInfo.Environment["Ledger__BaseAddress"] = ledger.ToString();
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new EdgeNodeHost(process, new Uri($"http://127.0.0.1:{port}/"));
        await host.WaitUntilHealthyAsync();
        return host;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"edge-node exited with {_process.ExitCode} during start.");
            }

            try
            {
                if ((await http.GetAsync("health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("edge-node did not become healthy within 60 s.");
    }

    private static string HostAssembly() =>
        Path.Combine(RepositoryRoot(), "src", "MobileAigc.Provenance.EdgeNode.Host", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "edge-node.dll");

    internal static string RepositoryRoot()
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
