using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>
/// A service host run as its own process, as an operator runs it: <c>dotnet &lt;host&gt;.dll --urls …</c>,
/// configured by environment variables, its output kept in a log file. It never outlives the demo:
/// disposing kills it (the demo's failure and Ctrl-C both dispose), and so does the demo's own exit.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly PosixSignalRegistration[] _signals;
    private bool _logClosed;
    private bool _disposed;

    private ServiceProcess(string name, Process process, Uri baseAddress, string logFile, StreamWriter log)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        LogFile = logFile;
        ProcessId = process.Id;
        _log = log;
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;
        // The command line ends the process on these signals without raising ProcessExit; the signal still takes its course.
        _signals = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => Kill()))];
    }

    /// <summary>What the demo calls it in messages (<c>ledger</c>, <c>edge node</c>).</summary>
    public string Name { get; }

    /// <summary>Where its API listens.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Its standard output and error.</summary>
    public string LogFile { get; }

    /// <summary>Its process id (kept: it still names the process in messages once it has stopped).</summary>
    public int ProcessId { get; }

    /// <summary>Whether it has exited (or been stopped).</summary>
    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Starts <paramref name="hostAssembly"/> on <paramref name="baseAddress"/> in <paramref name="workingDirectory"/> and waits until its <c>health</c> endpoint answers.</summary>
    /// <exception cref="InvalidOperationException">When it exits while starting (the message carries the end of its log).</exception>
    /// <exception cref="TimeoutException">When it does not answer within a minute.</exception>
    public static async Task<ServiceProcess> StartAsync(
        string name, string hostAssembly, Uri baseAddress, string workingDirectory, IReadOnlyDictionary<string, string> environment, string logFile,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(DotnetExecutable())
        {
            ArgumentList = { hostAssembly, "--urls", baseAddress.GetLeftPart(UriPartial.Authority) },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (variable, value) in environment)
        {
            startInfo.Environment[variable] = value;
        }

        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {name} ({hostAssembly}).");
        var service = new ServiceProcess(name, process, baseAddress, logFile, log);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilAnsweringAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process if it still runs and closes its log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        foreach (var signal in _signals)
        {
            signal.Dispose();
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        lock (_log)
        {
            _logClosed = true;
            _log.Dispose();
        }

        _process.Dispose();
    }

    private async Task WaitUntilAnsweringAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"The {Name} exited with code {_process.ExitCode} while starting. The end of its log ({LogFile}):\n{LogTail()}");
            }

            try
            {
                // Any answer means it listens; its health may be degraded until it has caught up with the chain.
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative), cancellationToken);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        throw new TimeoutException($"The {Name} did not answer at {BaseAddress} within {StartTimeout.TotalSeconds:0} s. The end of its log ({LogFile}):\n{LogTail()}");
    }

    private string LogTail()
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(40));
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            if (line is not null && !_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }

    // Ctrl-C, a closed terminal or a kill may end the demo before it unwinds: no orphaned service keeps a port.
    private void KillOnExit(object? sender, EventArgs e) => Kill();

    private void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // The muxer running this CLI when it runs as `dotnet provenance.dll`, else the one on the PATH.
    private static string DotnetExecutable() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
