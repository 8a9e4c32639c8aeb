using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Testing.Network;

namespace MobileAigc.Provenance.Testing.Processes;

/// <summary>
/// A server run as a child process on a free loopback port, with its output captured, started and then asked over HTTP
/// until it answers: what tests (and benchmarks) use to run the real hosts as an operator would.
/// </summary>
/// <remarks>
/// <see cref="Kill"/> is SIGKILL of the whole process tree: no shutdown code runs, which is what fault-injection tests
/// need. Disposing kills it too if it still runs. Not meant for use from several threads but <see cref="Output"/>,
/// which may be read at any time.
/// </remarks>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly Process _process;
    private readonly CapturedOutput _output;
    private readonly string _name;
    private int _disposed;

    private HostProcess(Process process, CapturedOutput output, string name, int port)
    {
        _process = process;
        _output = output;
        _name = name;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Where it listens: <c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether it has exited (or been killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>CPU time it has used so far (user + system), read from the kernel.</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>What it has written to stdout and stderr so far, for failure messages.</summary>
    public string Output => _output.Text();

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>: for messages about a long-running host.</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Starts it on a free loopback port and waits until <see cref="HostProcessOptions.ReadinessPath"/> answers.</summary>
    /// <exception cref="InvalidOperationException">When it exits during start (the message holds its output).</exception>
    /// <exception cref="TimeoutException">When it is not ready within <see cref="HostProcessOptions.StartTimeout"/>.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled first.</exception>
    public static async Task<HostProcess> StartAsync(HostProcessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var port = options.Port ?? FreePorts.Loopback();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var startInfo = new ProcessStartInfo(options.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? Path.GetTempPath(),
        };
        foreach (var argument in options.Arguments)
        {
            startInfo.ArgumentList.Add(argument.Replace(HostProcessOptions.PortPlaceholder, portText, StringComparison.Ordinal));
        }

        foreach (var (name, value) in options.Environment)
        {
            startInfo.Environment[name] = value;
        }

        var output = new CapturedOutput(options.LogFile);
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{options.FileName} did not start.");
        }
        catch
        {
            output.Dispose();
            throw;
        }

        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, output, options.Name, port);
        try
        {
            await host.WaitUntilReadyAsync(options, cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>SIGKILL to it and its children, and wait until they are gone.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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
        _output.Dispose();
    }

    private async Task WaitUntilReadyAsync(HostProcessOptions options, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = RequestTimeout };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < options.StartTimeout)
        {
            if (_process.HasExited)
            {
                // Both output streams are read to their end before the exit is reported as complete.
                await _process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException($"{_name} (pid {_process.Id}) exited with {_process.ExitCode} during start:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(options.ReadinessPath, cancellationToken);
                if (options.Readiness == HostReadiness.AnyAnswer || response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new TimeoutException($"{_name} (pid {_process.Id}) was not ready within {options.StartTimeout.TotalSeconds:0.#} s:\n{Output}");
    }
}
