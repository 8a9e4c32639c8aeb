using System.Net;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.LedgerLoad.Phases;

/// <summary>What verification at a fixed rate measured.</summary>
/// <param name="Rate">Requests scheduled per second.</param>
/// <param name="Duration">The measured window.</param>
/// <param name="Latency">Latency from each answered request's scheduled time to its complete response, microseconds (refused ones apart).</param>
/// <param name="KnownVerified">Known hashes answered <c>verified</c>.</param>
/// <param name="KnownOther">Known hashes answered anything else (a failure of the ledger).</param>
/// <param name="UnknownAnswered">Unknown hashes answered <c>unknown</c> (200) or 404.</param>
/// <param name="UnknownOther">Unknown hashes answered anything else (a failure).</param>
/// <param name="Errors">Requests that failed (transport error or a status other than the above).</param>
/// <param name="SchedulerLag">How late the generator itself started a request, at worst.</param>
/// <param name="LedgerCpu">CPU time the ledger used from the window's start until its last answer.</param>
/// <param name="FirstFailure">The first unexpected answer, for the report.</param>
/// <param name="Elapsed">From the window's start until its last answer: longer than <paramref name="Duration"/> when the ledger fell behind.</param>
/// <param name="GeneratorCpu">CPU time the generator itself used over <paramref name="Elapsed"/>.</param>
/// <param name="Refused">Requests the ledger refused as busy (503 <c>service-busy</c>, its admission bound): not answered, not a met target.</param>
/// <param name="RefusedLatency">Latency of the refused requests, microseconds.</param>
public sealed record VerifyResult(
    int Rate, TimeSpan Duration, LatencySummary Latency, int KnownVerified, int KnownOther, int UnknownAnswered, int UnknownOther, int Errors,
    TimeSpan SchedulerLag, TimeSpan LedgerCpu, string? FirstFailure, TimeSpan Elapsed, TimeSpan GeneratorCpu, int Refused, LatencySummary RefusedLatency)
{
    /// <summary>Answers (refusals apart) per second over <see cref="Elapsed"/>: the rate the ledger sustained.</summary>
    public double Throughput => Latency.Count / Elapsed.TotalSeconds;

    /// <summary>Every request sent in the window: answered or refused.</summary>
    public int Requests => Latency.Count + Refused;
}

/// <summary>
/// <c>GET api/verify/{sha256}</c> at a fixed rate, open loop (see <see cref="OpenLoopScheduler"/>),
/// over random known content hashes mixed with random unknown ones: a warm-up window, discarded,
/// then the measured window.
/// </summary>
public sealed class VerifyPhase(LedgerApi api, HostProcess ledger, TextWriter log)
{
    private const int JitQuietMethods = 20;
    private static readonly TimeSpan JitQuietWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan JitQuietTimeout = TimeSpan.FromSeconds(60);

    private enum Outcome
    {
        KnownVerified,
        KnownOther,
        UnknownAnswered,
        UnknownOther,
        Error,
        Refused,
    }

    /// <summary>Runs the warm-up and the measured window.</summary>
    public async Task<VerifyResult> RunAsync(IReadOnlyList<Bytes32> knownHashes, int rate, TimeSpan warmUp, TimeSpan duration, double unknownShare, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(knownHashes);
        ArgumentOutOfRangeException.ThrowIfZero(knownHashes.Count);
        var scheduler = new OpenLoopScheduler(rate, TimeProvider.System);
        // Choose every request's hash up front so that the schedule does no work but sending.
        var random = new Random(20_261_130);
        Bytes32[] Plan(TimeSpan window) => [.. Enumerable.Range(0, (int)Math.Round(window.TotalSeconds * rate)).Select(_ =>
            random.NextDouble() < unknownShare ? Bytes32.FromBytes(RandomBytes(random)) : knownHashes[random.Next(knownHashes.Count)])];
        var known = knownHashes.ToHashSet();

        if (warmUp > TimeSpan.Zero)
        {
            var warmUpPlan = Plan(warmUp);
            await scheduler.RunAsync(warmUp, i => CallAsync(warmUpPlan[i], known), (_, _) => { }, cancellationToken);
            // The verification path's code is compiled for the first time during the warm-up; the runtime raises it to its
            // optimised tier in the background, after which the JIT goes quiet (seen with perf: a third of the ledger's CPU went
            // to the JIT in a window measured right after a short warm-up).
            var (last, quiet) = await new LedgerJitActivity(api).WaitUntilQuietAsync(JitQuietMethods, JitQuietWindow, JitQuietTimeout, cancellationToken);
            await log.WriteLineAsync($"Verification warm-up: {warmUpPlan.Length} requests in {warmUp.TotalSeconds:F0} s; then the ledger's JIT " +
                (quiet ? "went quiet" : $"was still busy after {JitQuietTimeout.TotalSeconds:F0} s") + $" ({last.MethodsCompiled:N0} methods in the last {JitQuietWindow.TotalSeconds:F0} s).");
        }

        var plan = Plan(duration);
        var latencies = new LatencyRecorder();
        var refusedLatencies = new LatencyRecorder();
        var counts = new int[Enum.GetValues<Outcome>().Length];
        string? firstFailure = null;
        var ledgerCpuBefore = ledger.TotalProcessorTime;
        var generatorCpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lag = await scheduler.RunAsync(duration, i => CallAsync(plan[i], known), (latency, answer) =>
        {
            (answer.Outcome == Outcome.Refused ? refusedLatencies : latencies).Record(latency);
            Interlocked.Increment(ref counts[(int)answer.Outcome]);
            if (answer.Outcome is Outcome.KnownOther or Outcome.UnknownOther or Outcome.Error)
            {
                Interlocked.CompareExchange(ref firstFailure, answer.Detail, null);
            }
        }, cancellationToken);
        var ledgerCpu = ledger.TotalProcessorTime - ledgerCpuBefore;
        var elapsed = clock.Elapsed;
        var generatorCpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - generatorCpuBefore;

        // A window may be all refused or all answered: an empty side summarises to zeros.
        static LatencySummary Summarise(LatencyRecorder recorder) => recorder.Count == 0 ? default : recorder.Summarise();
        var result = new VerifyResult(rate, duration, Summarise(latencies),
            counts[(int)Outcome.KnownVerified], counts[(int)Outcome.KnownOther], counts[(int)Outcome.UnknownAnswered], counts[(int)Outcome.UnknownOther],
            counts[(int)Outcome.Error], lag, ledgerCpu, firstFailure, elapsed, generatorCpu, counts[(int)Outcome.Refused], Summarise(refusedLatencies));
        var l = result.Latency;
        var requests = result.Requests;
        await log.WriteLineAsync(
            $"Verification at {rate}/s for {duration.TotalSeconds:F0} s: {l.Count} answered, {result.Refused} refused busy (503" +
            (result.Refused > 0 ? $", p99 {result.RefusedLatency.P99 / 1000.0:F2} ms" : "") + $"); answered p50 {l.P50 / 1000.0:F2} ms, p90 {l.P90 / 1000.0:F2} ms, " +
            $"p99 {l.P99 / 1000.0:F2} ms, max {l.Max / 1000.0:F2} ms; known verified {result.KnownVerified}, other {result.KnownOther}; " +
            $"unknown {result.UnknownAnswered}, other {result.UnknownOther}; errors {result.Errors}; scheduler lag at worst {lag.TotalMilliseconds:F1} ms; " +
            $"{result.Throughput:N0} answers/s over {elapsed.TotalSeconds:F1} s; ledger CPU {ledgerCpu.TotalMicroseconds / requests:N0} µs per request " +
            $"({ledgerCpu.TotalMicroseconds / Math.Max(1, l.Count):N0} µs per answer; {ledgerCpu / elapsed:F2} cores), " +
            $"generator CPU {generatorCpu.TotalMicroseconds / requests:N0} µs per request.");
        return result;
    }

    private async Task<(Outcome Outcome, string? Detail)> CallAsync(Bytes32 hash, HashSet<Bytes32> known)
    {
        var isKnown = known.Contains(hash);
        try
        {
            var (status, body) = await api.VerifyHashAsync(hash);
            if (status == HttpStatusCode.ServiceUnavailable && body.Contains("service-busy", StringComparison.Ordinal))
            {
                return (Outcome.Refused, null);
            }

            // A substring test, not a parse: the generator shares the cores with the ledger.
            var verdict = status == HttpStatusCode.OK && body.Contains("\"verdict\":\"verified\"", StringComparison.Ordinal) ? "verified"
                : status == HttpStatusCode.OK && body.Contains("\"verdict\":\"unknown\"", StringComparison.Ordinal) ? "unknown"
                : null;
            return (isKnown, status, verdict) switch
            {
                (true, _, "verified") => (Outcome.KnownVerified, null),
                (false, _, "unknown") or (false, HttpStatusCode.NotFound, _) => (Outcome.UnknownAnswered, null),
                (_, HttpStatusCode.OK, _) => (isKnown ? Outcome.KnownOther : Outcome.UnknownOther, $"{(isKnown ? "known" : "unknown")} {hash}: 200 {Truncate(body)}"),
                _ => (Outcome.Error, $"{hash}: {(int)status} {Truncate(body)}"),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (Outcome.Error, $"{hash}: {e.GetType().Name}: {e.Message}");
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
