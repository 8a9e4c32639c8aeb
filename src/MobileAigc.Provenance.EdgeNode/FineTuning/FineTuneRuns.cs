using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The runs in progress, in memory: each run's latest step, the source its cancel trips, and who waits for its end. A cancel
/// that comes between the worker's claim of a job and its run's start is kept and trips the run as it starts.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class FineTuneRuns(TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (int Step, int Steps)> _progress = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _ended = new();

    /// <summary>The latest step of a run, if it runs and has reported one.</summary>
    public (int Step, int Steps)? Live(string jobId) => _progress.TryGetValue(jobId, out var live) ? live : null;

    /// <summary>Keeps the latest step of a run.</summary>
    public void Report(string jobId, (int Step, int Steps) progress) => _progress[jobId] = progress;

    /// <summary>Registers a run: the source a cancel trips (already tripped when a cancel came first).</summary>
    public CancellationTokenSource Begin(string jobId) => _running.GetOrAdd(jobId, _ => new CancellationTokenSource());

    /// <summary>Forgets a run and wakes whoever waits for its end.</summary>
    public void End(string jobId)
    {
        if (_running.TryRemove(jobId, out var source))
        {
            source.Dispose();
        }

        _progress.TryRemove(jobId, out _);
        if (_ended.TryRemove(jobId, out var ended))
        {
            ended.TrySetResult();
        }
    }

    /// <summary>Starts waiting for the end of a run (before it is asked to stop, so that no end is missed).</summary>
    public Task Watch(string jobId) => _ended.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Stops waiting for a run that is not running.</summary>
    public void Unwatch(string jobId) => _ended.TryRemove(jobId, out _);

    /// <summary>Trips a registered run's cancel; false when no run of the job is registered.</summary>
    public async Task<bool> TryCancelAsync(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var running))
        {
            return false;
        }

        await running.CancelAsync();
        return true;
    }

    /// <summary>Leaves a tripped cancel for a run about to start (claimed, not yet registered); false when one is registered already.</summary>
    public bool CancelBeforeStart(string jobId)
    {
        var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        if (_running.TryAdd(jobId, cancelled))
        {
            return true;
        }

        cancelled.Dispose();
        return false;
    }

    /// <summary>Waits for <paramref name="ended"/> up to <paramref name="wait"/>; a run that does not end in time is left to end on its own.</summary>
    public async Task WaitAsync(Task ended, TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await ended.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("A cancelled fine-tune run did not stop within {Wait}.", wait);
        }
    }
}
