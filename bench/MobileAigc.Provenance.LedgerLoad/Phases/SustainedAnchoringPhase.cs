using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.LedgerLoad.Phases;

/// <summary>One sample of the sustained run, on the generator's clock from the start of ingest.</summary>
/// <param name="At">When.</param>
/// <param name="Accepted">Records the ledger had accepted.</param>
/// <param name="Anchored">Records in batches anchored and confirmed.</param>
/// <param name="BatchesInFlight">Batches planned or sent, not anchored yet.</param>
/// <param name="Batched">Records in any batch (planned, sent, mined or anchored).</param>
/// <param name="Mined">Records in batches mined and waiting for their confirmations.</param>
public readonly record struct BacklogSample(TimeSpan At, long Accepted, long Anchored, int BatchesInFlight, long Batched = 0, long Mined = 0)
{
    /// <summary>Accepted and not yet anchored and confirmed.</summary>
    public long Backlog => Accepted - Anchored;

    /// <summary>Accepted and in no batch yet (a request the ledger answered but the generator has not counted can make it look smaller).</summary>
    public long Waiting => Math.Max(0, Accepted - Batched);

    /// <summary>In batches planned or sent whose transaction is not mined yet.</summary>
    public long InFlight => Batched - Mined - Anchored;
}

/// <summary>What the sustained run measured.</summary>
/// <param name="IngestTime">How long ingest ran.</param>
/// <param name="Accepted">Records accepted during it.</param>
/// <param name="RanOut">Whether ingest stopped because the signed records ran out before the time was up.</param>
/// <param name="Samples">The backlog over time, to the end of the drain.</param>
/// <param name="Latency">Acceptance to anchored and confirmed, per record, in milliseconds.</param>
/// <param name="Drained">Whether every accepted record was anchored and confirmed before the drain timeout.</param>
/// <param name="Batches">The ledger's batches at the end.</param>
/// <param name="StartedAt">When ingest started, on the wall clock: <see cref="BacklogSample.At"/> and <paramref name="Acceptances"/> count from it.</param>
/// <param name="Acceptances">When the ledger answered each request, and how many records it had accepted by then, in acceptance order.</param>
/// <param name="MaxLateness">At a fixed rate, how far behind its schedule the latest request left (the ledger or the connections could not keep up); zero at the full rate.</param>
public sealed record SustainedAnchoringResult(
    TimeSpan IngestTime, long Accepted, bool RanOut, IReadOnlyList<BacklogSample> Samples, LatencySummary Latency, bool Drained,
    IReadOnlyList<LedgerBatch> Batches, DateTimeOffset StartedAt, IReadOnlyList<(TimeSpan At, long Cumulative)> Acceptances,
    TimeSpan MaxLateness = default)
{
    /// <summary>Accepted records per second of ingest.</summary>
    public double IngestRate => Accepted / IngestTime.TotalSeconds;
}

/// <summary>
/// Ingest at its full rate (closed loop) or at a fixed rate (open loop) for a fixed time while the ledger anchors on a chain with real block times,
/// sampling the backlog; then waits until everything accepted is anchored and confirmed. Each record's latency comes
/// from the two curves: batches take records in acceptance order, so the record accepted k-th is anchored once the
/// anchored count reaches k (resolution: the sample interval; a request's records all count from its last one).
/// </summary>
public sealed class SustainedAnchoringPhase(LedgerApi api, HostProcess ledger, TextWriter log)
{
    /// <summary>Runs the phase over <paramref name="requests"/> (records in request-sized chunks).</summary>
    /// <exception cref="InvalidOperationException">When a request fails or a record is refused.</exception>
    public async Task<SustainedAnchoringResult> RunAsync(
        IReadOnlyList<SignedProvenanceRecord[]> requests, SustainedAnchoringSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(settings);
        var accepted = new ConcurrentQueue<(TimeSpan At, long Cumulative, int Count)>();
        long acceptedTotal = 0;
        var samples = new List<BacklogSample>();
        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var ingestFor = TimeSpan.FromSeconds(settings.Seconds);
        var next = -1;
        long latestTicks = 0;
        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(samples, clock, () => Interlocked.Read(ref acceptedTotal), TimeSpan.FromSeconds(settings.SampleSeconds), stopSampling.Token);

        await Task.WhenAll(Enumerable.Range(0, settings.Connections).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests.Count && clock.Elapsed < ingestFor; i = Interlocked.Increment(ref next))
            {
                if (settings.IngestRate > 0)
                {
                    // Open loop: the request leaves at its time on the schedule, however long the earlier answers took.
                    var due = TimeSpan.FromSeconds((double)i * requests[0].Length / settings.IngestRate);
                    if (due >= ingestFor)
                    {
                        break;
                    }

                    if (due > clock.Elapsed)
                    {
                        await Task.Delay(due - clock.Elapsed, cancellationToken);
                    }

                    var late = (clock.Elapsed - due).Ticks;
                    for (var seen = Interlocked.Read(ref latestTicks); late > seen; seen = Interlocked.Read(ref latestTicks))
                    {
                        Interlocked.CompareExchange(ref latestTicks, late, seen);
                    }
                }

                var (status, body) = await api.SubmitAsync(LedgerApi.SerializeSubmission(requests[i]), cancellationToken);
                if (status != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"Request {i} answered {(int)status}: {LedgerApi.Truncate(body)}\n{ledger.OutputTail()}");
                }

                var refused = LedgerApi.ParseSubmission(body).Records.Count(r => !r.Accepted);
                if (refused > 0)
                {
                    throw new InvalidOperationException($"Request {i}: {refused} of {requests[i].Length} records refused: {LedgerApi.Truncate(body)}");
                }

                var cumulative = Interlocked.Add(ref acceptedTotal, requests[i].Length);
                accepted.Enqueue((clock.Elapsed, cumulative, requests[i].Length));
            }
        }, cancellationToken)));
        var ingestTime = clock.Elapsed;
        var total = Interlocked.Read(ref acceptedTotal);
        var ranOut = next >= requests.Count && ingestTime < ingestFor;
        await log.WriteLineAsync($"Ingest stopped after {ingestTime.TotalSeconds:F0} s: {total:N0} records accepted ({total / ingestTime.TotalSeconds:N0}/s){(ranOut ? "; the signed records ran out" : "")}.");

        var drainUntil = clock.Elapsed + settings.DrainTimeout;
        while (clock.Elapsed < drainUntil && (samples.Count == 0 || LastSample(samples).Anchored < total))
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.SampleSeconds), cancellationToken);
        }

        await stopSampling.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException) when (stopSampling.IsCancellationRequested)
        {
            // Stopped.
        }

        var drained = LastSample(samples).Anchored >= total;
        var batches = await api.BatchesAsync(cancellationToken);
        return new SustainedAnchoringResult(
            ingestTime, total, ranOut, [.. samples], Latencies(accepted, samples), drained, batches, startedAt,
            [.. accepted.OrderBy(a => a.Cumulative).Select(a => (a.At, a.Cumulative))], TimeSpan.FromTicks(Interlocked.Read(ref latestTicks)));
    }

    private static BacklogSample LastSample(List<BacklogSample> samples)
    {
        lock (samples)
        {
            return samples[^1];
        }
    }

    private async Task SampleAsync(List<BacklogSample> samples, Stopwatch clock, Func<long> acceptedSoFar, TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        do
        {
            var acceptedAt = acceptedSoFar();
            List<LedgerBatch> batches;
            try
            {
                batches = await api.BatchesAsync(cancellationToken);
            }
            catch (HttpRequestException e)
            {
                await log.WriteLineAsync($"Sample at {clock.Elapsed.TotalSeconds:F0} s failed: {e.Message}");
                continue;
            }

            var sample = new BacklogSample(
                clock.Elapsed, acceptedAt, batches.Where(b => b.State == BatchState.Anchored).Sum(b => (long)b.RecordCount),
                batches.Count(b => b.State != BatchState.Anchored), batches.Sum(b => (long)b.RecordCount),
                batches.Where(b => b.State != BatchState.Anchored && b.BlockNumber is not null).Sum(b => (long)b.RecordCount));
            lock (samples)
            {
                samples.Add(sample);
            }

            if (samples.Count % 15 == 0)
            {
                await log.WriteLineAsync(
                    $"{sample.At.TotalSeconds,5:F0} s: accepted {sample.Accepted:N0}, anchored {sample.Anchored:N0}, backlog {sample.Backlog:N0} " +
                    $"(waiting {sample.Waiting:N0}, in flight {sample.InFlight:N0}, unconfirmed {sample.Mined:N0}), batches unfinished {sample.BatchesInFlight}.");
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken));
    }

    // Batches take records in acceptance order (the ledger's ids), so the k-th accepted record is anchored at the first
    // sample whose anchored count reaches k. Records never anchored are left out (the result says so with Drained).
    private static LatencySummary Latencies(IEnumerable<(TimeSpan At, long Cumulative, int Count)> accepted, List<BacklogSample> samples)
    {
        var recorder = new LatencyRecorder();
        var ordered = accepted.OrderBy(a => a.Cumulative).ToList();
        var s = 0;
        var recorded = 0;
        foreach (var (at, cumulative, count) in ordered)
        {
            while (s < samples.Count && samples[s].Anchored < cumulative)
            {
                s++;
            }

            if (s == samples.Count)
            {
                break;
            }

            var latency = samples[s].At - at;
            for (var r = 0; r < count; r++)
            {
                recorder.Record(latency < TimeSpan.Zero ? TimeSpan.Zero : latency);
            }

            recorded += count;
        }

        return recorded == 0 ? default : recorder.Summarise();
    }
}
