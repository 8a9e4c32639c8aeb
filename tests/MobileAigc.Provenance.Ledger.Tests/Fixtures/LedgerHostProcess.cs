using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MobileAigc.Provenance.Ledger.Tests.Fixtures;

/// <summary>
/// The real <c>ledger</c> host as a child process on a loopback port, configured through
/// environment variables the way an operator configures it. <see cref="Kill"/> is SIGKILL: no
/// shutdown code runs, which is what the fault-injection tests need.
/// </summary>
public sealed class LedgerHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;

    private LedgerHostProcess(Process process, Uri baseAddress, StringBuilder output)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What it has written to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the host with <paramref name="settings"/> (configuration keys with ':' separators) and waits until /health answers.</summary>
    public static async Task<LedgerHostProcess> StartAsync(IReadOnlyDictionary<string, string> settings, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var listenPort = port ?? FreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { HostAssembly(), "--urls", $"http://127.0.0.1:{listenPort}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new StringBuilder();
        var process = Process.Start(startInfo)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new LedgerHostProcess(process, new Uri($"http://127.0.0.1:{listenPort}/"), output);
        await host.WaitUntilListeningAsync();
        return host;
    }

    /// <summary>SIGKILL, and wait for the process to be gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"ledger exited with {_process.ExitCode} during start:\n{Output}");
            }

            try
            {
                // Any answer means Kestrel is up; health may be degraded while the chain is away.
                using var response = await http.GetAsync("health");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"ledger did not listen within 60 s:\n{Output}");
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string HostAssembly() =>
        Path.Combine(RepositoryRoot(), "src", "MobileAigc.Provenance.Ledger.Host", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "ledger.dll");

    /// <summary>The folder holding the solution file.</summary>
    public static string RepositoryRoot()
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

    /// <summary>A TCP port free on loopback right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
