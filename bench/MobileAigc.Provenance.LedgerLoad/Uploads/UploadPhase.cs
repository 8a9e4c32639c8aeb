using System.Net;
using System.Net.Http.Headers;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.LedgerLoad.Uploads;

/// <summary>What one measured window of uploads gave.</summary>
/// <param name="Latency">From each upload's scheduled time to its complete answer, microseconds.</param>
/// <param name="Traced">Uploads answered <c>modified-but-traced</c> by the image watermark (the expected answer).</param>
/// <param name="Other">Uploads answered anything else, or failed (a 503 <c>service-busy</c> among them: the ledger's queue of heavy work was full).</param>
/// <param name="LedgerCpu">CPU the ledger used during the window.</param>
/// <param name="SchedulerLag">How late the generator itself started an upload, at worst.</param>
/// <param name="FirstFailure">The first unexpected answer, for the report.</param>
public sealed record UploadWindow(LatencySummary Latency, int Traced, int Other, TimeSpan LedgerCpu, TimeSpan SchedulerLag, string? FirstFailure)
{
    /// <summary>
    /// Ledger CPU per traced upload, milliseconds: all the ledger's CPU in the window over the uploads it traced, so an upper
    /// bound when some were refused busy (a refusal costs little but is counted in).
    /// </summary>
    public double CpuMillisPerUpload => LedgerCpu.TotalMilliseconds / Math.Max(1, Traced);
}

/// <summary>
/// <c>POST api/verify</c> of re-encoded marked JPEGs at a fixed rate, open loop (<see cref="OpenLoopScheduler"/>): every
/// upload differs from its record's bytes, so the ledger decodes it, misses the exact hash and reads the watermark.
/// </summary>
public sealed class UploadPhase(Uri ledger, HostProcess ledgerProcess, IReadOnlyList<byte[]> uploads) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
    {
        BaseAddress = ledger,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>One window of <paramref name="duration"/> at <paramref name="rate"/> uploads per second, the files taken in turn.</summary>
    public async Task<UploadWindow> RunAsync(int rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var latencies = new LatencyRecorder();
        int traced = 0, other = 0;
        string? firstFailure = null;
        var cpuBefore = ledgerProcess.TotalProcessorTime;
        var lag = await new OpenLoopScheduler(rate, TimeProvider.System).RunAsync(duration, i => UploadAsync(uploads[(int)(i % uploads.Count)], cancellationToken), (latency, answer) =>
        {
            latencies.Record(latency);
            if (answer is null)
            {
                Interlocked.Increment(ref traced);
            }
            else
            {
                Interlocked.Increment(ref other);
                Interlocked.CompareExchange(ref firstFailure, answer, null);
            }
        }, cancellationToken);
        return new UploadWindow(latencies.Summarise(), traced, other, ledgerProcess.TotalProcessorTime - cpuBefore, lag, firstFailure);
    }

    /// <summary>Null when the answer is the expected trace; otherwise what went wrong.</summary>
    private async Task<string?> UploadAsync(byte[] file, CancellationToken cancellationToken)
    {
        try
        {
            using var form = new MultipartFormDataContent();
            var part = new ByteArrayContent(file);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "file", "upload.jpg");
            using var response = await _http.PostAsync("api/verify", form, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            // A substring test, not a parse: the generator shares the cores with the ledger.
            return response.StatusCode == HttpStatusCode.OK
                && body.Contains("\"verdict\":\"modified-but-traced\"", StringComparison.Ordinal)
                && body.Contains("\"method\":\"image-watermark\"", StringComparison.Ordinal)
                ? null
                : $"{(int)response.StatusCode} {(body.Length > 300 ? body[..300] + "…" : body)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"{e.GetType().Name}: {e.Message}";
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
