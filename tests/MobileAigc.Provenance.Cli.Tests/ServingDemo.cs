using System.Diagnostics;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance demo --serve</c> as a long-running child process whose output lines are kept as they come, so that a
/// test can wait for one, then signal it as a terminal would. Disposing kills what is left of it.
/// </summary>
internal sealed class ServingDemo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private ServingDemo(Process process) => _process = process;

    /// <summary>Its process id (the <c>dotnet</c> process running the CLI).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Every line it has printed so far, stdout and stderr interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Starts <c>provenance demo --serve</c> with <paramref name="arguments"/>.</summary>
    public static ServingDemo Start(params string[] arguments)
    {
        // env restores SIGINT's default action: a test runner started in the background may pass it on ignored, and an
        // ignored SIGINT is never seen by the process (as with `command &` in a script).
        var startInfo = new ProcessStartInfo("env")
        {
            ArgumentList = { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "provenance.dll"), "demo", "--serve" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The demo did not start.");
        var demo = new ServingDemo(process);
        process.OutputDataReceived += (_, e) => demo.Add(e.Data);
        process.ErrorDataReceived += (_, e) => demo.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return demo;
    }

    /// <summary>Waits for a line that <paramref name="matches"/> and returns everything printed up to it.</summary>
    /// <exception cref="InvalidOperationException">When the demo exits first (the message holds its output).</exception>
    /// <exception cref="TimeoutException">When no such line comes within <paramref name="timeout"/>.</exception>
    public async Task<string> WaitForLineAsync(Func<string, bool> matches, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var lines = Lines;
            if (lines.FirstOrDefault(matches) is { } line)
            {
                return string.Join('\n', lines.TakeWhile(l => l != line).Append(line));
            }

            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The demo exited with {_process.ExitCode}:\n{string.Join('\n', Lines)}");
            }

            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No such line within {timeout.TotalSeconds:0} s:\n{string.Join('\n', lines.TakeLast(40))}");
            }

            // Woken by the next line, or at the latest after a second to look at the process again.
            await _lineArrived.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Sends it <paramref name="signal"/> (<c>INT</c>, <c>TERM</c>) as a terminal or a supervisor would.</summary>
    public async Task SignalAsync(string signal)
    {
        var result = await ChildProcess.RunAsync("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -s {signal} failed: {result.Error}");
        }
    }

    /// <summary>Waits until it exits and returns its exit code.</summary>
    /// <exception cref="TimeoutException">When it is still running after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The demo still runs {timeout.TotalSeconds:0} s after the signal:\n{string.Join('\n', Lines.TakeLast(20))}");
        }

        return _process.ExitCode;
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
        _lineArrived.Dispose();
    }

    private void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _lines.Add(line);
        }

        _lineArrived.Release();
    }
}
