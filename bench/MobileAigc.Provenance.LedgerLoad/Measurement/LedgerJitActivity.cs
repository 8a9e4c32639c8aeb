using System.Diagnostics;
using System.Globalization;

namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>The ledger's JIT counters at one moment: methods compiled and compile time since it started.</summary>
/// <param name="MethodsCompiled">Methods the JIT compiled (or recompiled at a higher tier); <c>dotnet.jit.compiled_methods</c>.</param>
/// <param name="CompilationTime">Time the JIT spent compiling; <c>dotnet.jit.compilation.time</c>.</param>
public readonly record struct JitCounters(long MethodsCompiled, TimeSpan CompilationTime)
{
    /// <summary>What happened between <paramref name="earlier"/> and this reading.</summary>
    public JitCounters Since(JitCounters earlier) =>
        new(MethodsCompiled - earlier.MethodsCompiled, CompilationTime - earlier.CompilationTime);
}

/// <summary>
/// Reads the ledger's JIT activity from its Prometheus endpoint (the runtime's <c>System.Runtime</c> meter), so that a
/// timed run can say how much of the ledger's CPU went to compiling rather than to ingest, and so that the warm-up can
/// wait until the runtime has finished recompiling the hot code at its optimised tier: a ledger that runs for days has.
/// </summary>
public sealed class LedgerJitActivity(LedgerApi api)
{
    private const string MethodsMetric = "dotnet_jit_compiled_methods";
    private const string TimeMetric = "dotnet_jit_compilation_time";

    /// <summary>The counters now.</summary>
    /// <exception cref="InvalidDataException">When the ledger's metrics carry no JIT counters.</exception>
    public async Task<JitCounters> ReadAsync(CancellationToken cancellationToken = default)
    {
        var text = await api.MetricsAsync(cancellationToken);
        double? methods = null, seconds = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(MethodsMetric, StringComparison.Ordinal))
            {
                methods = (methods ?? 0) + Value(line);
            }
            else if (line.StartsWith(TimeMetric, StringComparison.Ordinal))
            {
                seconds = (seconds ?? 0) + Value(line);
            }
        }

        return methods is { } m && seconds is { } s
            ? new JitCounters((long)m, TimeSpan.FromSeconds(s))
            : throw new InvalidDataException($"The ledger's /metrics has no {MethodsMetric} or {TimeMetric} counter.");
    }

    /// <summary>
    /// Waits until the ledger compiles fewer than <paramref name="quietMethods"/> methods in <paramref name="window"/>, or
    /// <paramref name="timeout"/> passes; returns the last window's counters and whether it went quiet.
    /// </summary>
    public async Task<(JitCounters LastWindow, bool Quiet)> WaitUntilQuietAsync(
        int quietMethods, TimeSpan window, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var before = await ReadAsync(cancellationToken);
        while (true)
        {
            await Task.Delay(window, cancellationToken);
            var now = await ReadAsync(cancellationToken);
            var last = now.Since(before);
            if (last.MethodsCompiled < quietMethods || clock.Elapsed > timeout)
            {
                return (last, last.MethodsCompiled < quietMethods);
            }

            before = now;
        }
    }

    // "name{labels} value [timestamp]": the value is the second field.
    private static double Value(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }
}
