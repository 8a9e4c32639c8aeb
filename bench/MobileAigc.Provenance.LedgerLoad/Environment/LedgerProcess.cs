using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.LedgerLoad.Environment;

/// <summary>
/// The real ledger host (<c>ledger.dll</c>, built in the generator's configuration) as a child
/// process on a loopback port, configured through environment variables as an operator would. Its
/// output goes to a log file; the process is killed with its tree when disposed.
/// </summary>
public sealed class LedgerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ProcessLog _log;
    private int _disposed;

    private LedgerProcess(Process process, Uri baseAddress, ProcessLog log, string logPath)
    {
        _process = process;
        BaseAddress = baseAddress;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>Where it listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The file that collects its stdout and stderr.</summary>
    public string LogPath { get; }

    /// <summary>The process id, for the report and for reading its CPU time.</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the ledger process has used so far (user + system), read from the kernel.</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The path of the host assembly built next to this generator's configuration.</summary>
    public static string HostAssembly(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "src", "MobileAigc.Provenance.Ledger.Host", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "ledger.dll");

    /// <summary>Starts the host with <paramref name="settings"/> (keys with ':' separators) and waits until it answers HTTP.</summary>
    /// <exception cref="FileNotFoundException">When the host is not built.</exception>
    /// <exception cref="InvalidOperationException">When it exits during start (the message holds its output).</exception>
    /// <exception cref="TimeoutException">When it does not listen within a minute.</exception>
    public static async Task<LedgerProcess> StartAsync(string hostAssembly, IReadOnlyDictionary<string, string> settings, string logPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!File.Exists(hostAssembly))
        {
            throw new FileNotFoundException($"The ledger host is not built: {hostAssembly}. Build the generator (it builds the host) in the same configuration.", hostAssembly);
        }

        var port = FreePort();
        var startInfo = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { hostAssembly, "--urls", $"http://127.0.0.1:{port}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The host's own folder is its content root, as in its container image: appsettings.json and wwwroot are there.
            WorkingDirectory = Path.GetDirectoryName(hostAssembly)!,
        };
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var log = new ProcessLog(logPath);
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => log.Append(e.Data);
        process.ErrorDataReceived += (_, e) => log.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ledger = new LedgerProcess(process, new Uri($"http://127.0.0.1:{port}/"), log, logPath);
        try
        {
            await ledger.WaitUntilListeningAsync(cancellationToken);
            return ledger;
        }
        catch
        {
            await ledger.DisposeAsync();
            throw;
        }
    }

    /// <summary>The last lines of its log, for error messages.</summary>
    public string LogTail(int lines = 40)
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var all = reader.ReadToEnd().Split('\n');
        return string.Join('\n', all.TakeLast(lines));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _log.Dispose();
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The ledger exited with {_process.ExitCode} during start:\n{LogTail()}");
            }

            try
            {
                // Any answer means Kestrel is up; health may still be degraded while the indexer catches up.
                using var response = await http.GetAsync("health", cancellationToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"The ledger did not listen within 60 s:\n{LogTail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Lines of a child process's output appended to a file; lines arriving after disposal are dropped.</summary>
internal sealed class ProcessLog(string path) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter _writer = new(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    private bool _closed;

    public void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            if (!_closed)
            {
                _writer.WriteLine(line);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _closed = true;
            _writer.Dispose();
        }
    }
}
