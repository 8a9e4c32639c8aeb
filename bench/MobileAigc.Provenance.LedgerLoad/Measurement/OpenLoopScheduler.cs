namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>
/// Starts operations at a fixed rate whatever the earlier ones are doing (open loop), and measures
/// each one from the time it was <em>scheduled</em>, not from when it actually started: a stall of
/// the server (or of this process) shows up in every request scheduled during it, instead of being
/// hidden by a client that waits before sending the next one ("coordinated omission").
/// </summary>
/// <param name="rate">Operations per second; at least 1.</param>
/// <param name="timeProvider">The clock (its timestamps and delays).</param>
public sealed class OpenLoopScheduler(double rate, TimeProvider timeProvider)
{
    private readonly double _rate = rate >= 1 ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "At least one operation per second.");

    /// <summary>
    /// Runs <paramref name="operation"/> <c>rate × duration</c> times, the i-th at start + i / rate;
    /// hands each one's latency (completion − scheduled time) and its result to <paramref name="completed"/>.
    /// Returns when every operation has finished.
    /// </summary>
    /// <param name="duration">The length of the schedule.</param>
    /// <param name="operation">The operation, given its index; its exceptions are its result's concern, so it should not throw.</param>
    /// <param name="completed">Called once per operation, from any thread.</param>
    /// <param name="cancellationToken">Stops scheduling new operations.</param>
    /// <returns>How far behind schedule the scheduler itself started its operations, at worst.</returns>
    public async Task<TimeSpan> RunAsync<T>(
        TimeSpan duration,
        Func<long, Task<T>> operation,
        Action<TimeSpan, T> completed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(completed);
        var count = (long)Math.Round(duration.TotalSeconds * _rate);
        var interval = TimeSpan.FromSeconds(1 / _rate);
        var start = timeProvider.GetTimestamp();
        var inFlight = new List<Task>((int)Math.Min(count, int.MaxValue));
        var worstLag = TimeSpan.Zero;
        for (long i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = interval * i;
            var wait = due - timeProvider.GetElapsedTime(start);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                // Timers on Linux wake within about a millisecond; the rest of the lag is measured, not lost.
                await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            var lag = timeProvider.GetElapsedTime(start) - due;
            if (lag > worstLag)
            {
                worstLag = lag;
            }

            inFlight.Add(RunOneAsync(i, start + (long)(due.TotalSeconds * timeProvider.TimestampFrequency)));
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return worstLag;

        async Task RunOneAsync(long index, long scheduledTimestamp)
        {
            // Yield first so that a synchronously slow operation never delays the next start.
            await Task.Yield();
            var result = await operation(index).ConfigureAwait(false);
            completed(timeProvider.GetElapsedTime(scheduledTimestamp), result);
        }
    }
}
