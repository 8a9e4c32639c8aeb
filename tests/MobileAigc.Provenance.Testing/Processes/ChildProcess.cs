using System.ComponentModel;
using System.Diagnostics;

namespace MobileAigc.Provenance.Testing.Processes;

/// <summary>What a program run to its end by <see cref="ChildProcess.RunAsync"/> left.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Output">All it wrote to stdout.</param>
/// <param name="Error">All it wrote to stderr.</param>
public sealed record ProcessResult(int ExitCode, string Output, string Error);

/// <summary>Programs run to their end with their output captured: the CLI under test, node scripts, git.</summary>
public static class ChildProcess
{
    /// <summary>The time a run may take by default: 2 minutes.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>, writes <paramref name="standardInput"/> (when
    /// given) to it and closes its input, and waits for its end while reading stdout and stderr together (neither can
    /// fill its pipe and stall it).
    /// </summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments, each passed as it is.</param>
    /// <param name="standardInput">What to write to its input; default none (its input is not redirected).</param>
    /// <param name="workingDirectory">Where it runs; default this process's folder.</param>
    /// <param name="timeout">How long it may take; default <see cref="DefaultTimeout"/>.</param>
    /// <param name="environment">Variables set (or, with a null value, removed) in its environment; default this process's environment as it is.</param>
    /// <exception cref="Win32Exception">When the program cannot be started (not installed).</exception>
    /// <exception cref="TimeoutException">When it has not ended within <paramref name="timeout"/> (default <see cref="DefaultTimeout"/>); it is killed.</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        string? workingDirectory = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        using var deadline = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{fileName} did not end within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s and was killed:\n{await output}\n{await error}");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}
