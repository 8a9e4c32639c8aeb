using System.Diagnostics;
using System.Net;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.LedgerLoad.Phases;

/// <summary>One timed ingest run.</summary>
/// <param name="Connections">Concurrent connections.</param>
/// <param name="Run">1-based run number for this connection count.</param>
/// <param name="Records">Records sent.</param>
/// <param name="Accepted">Records the ledger answered as accepted.</param>
/// <param name="Elapsed">Wall time from the first request to the last response.</param>
/// <param name="LedgerCpu">CPU time the ledger process used during the run.</param>
/// <param name="GeneratorCpu">CPU time this generator used during the run.</param>
/// <param name="RequestLatency">Latency of each request (a batch of records), microseconds.</param>
/// <param name="Jit">What the ledger's JIT compiled during the run (read just outside its clock); null when not read.</param>
/// <param name="LedgerJitCpu">The part of <paramref name="LedgerCpu"/> spent by the ledger's background JIT thread (<see cref="LedgerJitThreadCpu"/>).</param>
public sealed record IngestRun(
    int Connections, int Run, int Records, int Accepted, TimeSpan Elapsed, TimeSpan LedgerCpu, TimeSpan GeneratorCpu, LatencySummary RequestLatency,
    JitCounters? Jit = null, TimeSpan LedgerJitCpu = default)
{
    /// <summary>Accepted records per second of wall time.</summary>
    public double RecordsPerSecond => Accepted / Elapsed.TotalSeconds;

    /// <summary>The ledger's CPU per accepted record without its background JIT thread's, µs (gross of idle use).</summary>
    public double LedgerCpuWithoutJitMicrosPerRecord => (LedgerCpu - LedgerJitCpu).TotalMicroseconds / Accepted;
}

/// <summary>
/// Batch ingest over HTTP: a warm-up that waits until the ledger's registry mirror knows the node,
/// then timed runs with a fixed number of connections, each sending pre-serialised requests of
/// pre-signed records as fast as the ledger answers (closed loop: throughput is the question here).
/// </summary>
/// <param name="api">The ledger's API.</param>
/// <param name="ledger">The ledger process, for its CPU time and output.</param>
/// <param name="log">Where each run is reported.</param>
/// <param name="jit">The ledger's JIT counters, read around each run; null: not read.</param>
public sealed class IngestPhase(LedgerApi api, HostProcess ledger, TextWriter log, LedgerJitActivity? jit = null)
{
    /// <summary>
    /// Submits <paramref name="requests"/> until every record is accepted: the ledger refuses records of
    /// nodes its indexer has not seen yet, and the first requests also warm up both processes.
    /// </summary>
    /// <exception cref="TimeoutException">When they are still refused after <paramref name="timeout"/>.</exception>
    public async Task WarmUpAsync(IReadOnlyList<SignedProvenanceRecord[]> requests, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var clock = Stopwatch.StartNew();
        var bodies = requests.Select(LedgerApi.SerializeSubmission).ToArray();
        for (var attempt = 1; ; attempt++)
        {
            var lastAnswer = "";
            var allAccepted = true;
            foreach (var body in bodies)
            {
                var (status, answer) = await api.SubmitAsync(body, cancellationToken);
                if (status != HttpStatusCode.OK || LedgerApi.ParseSubmission(answer).Records.Any(r => !r.Accepted))
                {
                    allAccepted = false;
                    lastAnswer = $"{(int)status}: {LedgerApi.Truncate(answer)}";
                    break;
                }
            }

            if (allAccepted)
            {
                await log.WriteLineAsync($"Warm-up: {requests.Sum(r => r.Length)} records accepted after {attempt} attempt(s), {clock.Elapsed.TotalSeconds:F1} s.");
                return;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The ledger still refuses the warm-up records after {timeout.TotalSeconds:F0} s; last answer {lastAnswer}\n{ledger.OutputTail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>Sends <paramref name="requests"/> over <paramref name="connections"/> connections and checks every answer.</summary>
    /// <exception cref="InvalidOperationException">When a request fails or a record is not accepted.</exception>
    public async Task<IngestRun> RunAsync(int connections, int run, IReadOnlyList<SignedProvenanceRecord[]> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var bodies = requests.Select(LedgerApi.SerializeSubmission).ToArray();
        var answers = new (HttpStatusCode Status, byte[] Body)[bodies.Length];
        var latencies = new LatencyRecorder();
        var next = -1;
        // Collect garbage from serialising now rather than inside the timed window.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);

        var jitBefore = jit is null ? (JitCounters?)null : await jit.ReadAsync(cancellationToken);
        var jitThreadsBefore = LedgerJitThreadCpu.Read(ledger.ProcessId);
        var ledgerCpuBefore = ledger.TotalProcessorTime;
        var generatorCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < bodies.Length; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                answers[i] = await api.SubmitAsync(bodies[i], cancellationToken);
                latencies.Record(Stopwatch.GetElapsedTime(started));
            }
        }, cancellationToken)));
        clock.Stop();
        var ledgerCpu = ledger.TotalProcessorTime - ledgerCpuBefore;
        var ledgerJitCpu = LedgerJitThreadCpu.Between(jitThreadsBefore, LedgerJitThreadCpu.Read(ledger.ProcessId));
        var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime - generatorCpuBefore;
        JitCounters? jitDuring = jit is not null && jitBefore is { } before ? (await jit.ReadAsync(cancellationToken)).Since(before) : null;

        var accepted = 0;
        for (var i = 0; i < answers.Length; i++)
        {
            var (status, body) = answers[i];
            if (status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Request {i} of run {run} answered {(int)status}: {LedgerApi.Truncate(body)}\n{ledger.OutputTail()}");
            }

            var response = LedgerApi.ParseSubmission(body);
            if (response.Records.Count != requests[i].Length)
            {
                throw new InvalidOperationException($"Request {i} of run {run}: {requests[i].Length} records sent, {response.Records.Count} answered.");
            }

            var refused = response.Records.Count(r => !r.Accepted);
            if (refused > 0)
            {
                throw new InvalidOperationException($"Request {i} of run {run}: {refused} of {requests[i].Length} records refused: {LedgerApi.Truncate(body)}");
            }

            accepted += response.Records.Count;
        }

        var result = new IngestRun(connections, run, requests.Sum(r => r.Length), accepted, clock.Elapsed, ledgerCpu, generatorCpu, latencies.Summarise(), jitDuring, ledgerJitCpu);
        await log.WriteLineAsync(
            $"Ingest, {connections} connection(s), run {run}: {result.Accepted:N0} records in {result.Elapsed.TotalSeconds:F2} s = {result.RecordsPerSecond:N0} records/s; " +
            $"ledger CPU {ledgerCpu.TotalSeconds:F1} s ({ledgerCpu / result.Elapsed:P0} of one core; its background JIT thread {ledgerJitCpu.TotalSeconds:F2} s, " +
            $"the rest {result.LedgerCpuWithoutJitMicrosPerRecord:N0} µs per record), generator CPU {generatorCpu.TotalSeconds:F1} s; " +
            $"request p50 {result.RequestLatency.P50 / 1000.0:F0} ms, max {result.RequestLatency.Max / 1000.0:F0} ms" +
            (jitDuring is { } j ? $"; ledger JIT {j.MethodsCompiled:N0} methods, {j.CompilationTime.TotalMilliseconds:N0} ms." : "."));
        return result;
    }
}
