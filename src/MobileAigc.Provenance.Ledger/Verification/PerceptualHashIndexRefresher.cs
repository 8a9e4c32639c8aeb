using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Loads the perceptual hash indexes (ours and PDQ's, every <see cref="HashIndexSync"/> registered) when the host starts
/// and keeps them current every <see cref="VerificationOptions.IndexRefreshInterval"/>, looking back for late commits.
/// A database that is away is logged and retried at the next tick; it never stops the host.
/// </summary>
public sealed partial class PerceptualHashIndexRefresher(
    IEnumerable<HashIndexSync> syncs,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<PerceptualHashIndexRefresher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IndexRefreshInterval, time);
        do
        {
            foreach (var sync in syncs)
            {
                try
                {
                    var started = time.GetTimestamp();
                    var added = await sync.CatchUpAsync(lookBack: true, stoppingToken).ConfigureAwait(false);
                    if (added > 0)
                    {
                        LogAdded(logger, sync.HashName, added, sync.Index.Count, time.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    LogFailed(logger, e, sync.HashName);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{HashName} index: {Added} hashes added ({Count} in all) in {Milliseconds:F0} ms.")]
    private static partial void LogAdded(ILogger logger, string hashName, int added, int count, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{HashName} index refresh failed; retrying at the next tick.")]
    private static partial void LogFailed(ILogger logger, Exception exception, string hashName);
}
