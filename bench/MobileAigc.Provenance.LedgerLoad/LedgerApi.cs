using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.LedgerLoad;

/// <summary>The ledger's HTTP API as the generator calls it: a pooled client of at most <see cref="MaxConnections"/> connections.</summary>
public sealed class LedgerApi : IDisposable
{
    /// <summary>
    /// Connections the client opens to the ledger at most. Open-loop verification at 3,000/s with answers in a few
    /// milliseconds needs a few dozen; without a bound, a ledger that falls behind makes the client open one more TCP
    /// connection per request scheduled (about 10,000 in a 5-s warm-up at 3,000/s, seen with 2,000 records), each a socket
    /// and buffers in both processes and a handshake on the ledger's CPU, until file descriptors or memory run out. Past the
    /// bound, requests wait in the client's queue, and their latency still counts from their scheduled time.
    /// </summary>
    public const int MaxConnections = 256;

    /// <summary>The JSON settings of ASP.NET Core minimal APIs (web defaults: camelCase).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;

    /// <summary>A client of the ledger at <paramref name="baseAddress"/>.</summary>
    public LedgerApi(Uri baseAddress)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = MaxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The JSON body of <c>POST api/records</c> for <paramref name="records"/>, serialised ahead of timing.</summary>
    public static byte[] SerializeSubmission(IReadOnlyList<SignedProvenanceRecord> records) =>
        JsonSerializer.SerializeToUtf8Bytes(new SubmitRecordsRequest(records), Json);

    /// <summary>Posts a pre-serialised submission; returns the status and the raw response body (parsed later, outside timing).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> SubmitAsync(byte[] body, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = JsonMediaType;
        using var response = await _http.PostAsync(LedgerIngest.RecordsPath, content, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    /// <summary>Parses a <c>POST api/records</c> answer.</summary>
    /// <exception cref="InvalidDataException">When the body is not a <see cref="SubmitRecordsResponse"/>.</exception>
    public static SubmitRecordsResponse ParseSubmission(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize<SubmitRecordsResponse>(body, Json)
                ?? throw new InvalidDataException("The ledger answered null to a submission.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Not a submission response: {Truncate(body)}", e);
        }
    }

    /// <summary><c>GET api/verify/{sha256}</c>: the status and the body text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> VerifyHashAsync(Bytes32 contentHash, CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync($"{LedgerVerification.VerifyPath}/{Convert.ToHexStringLower(contentHash.AsSpan())}", cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Every batch of <c>GET api/audit/batches</c>, following the cursor.</summary>
    public async Task<List<LedgerBatch>> BatchesAsync(CancellationToken cancellationToken = default)
    {
        var batches = new List<LedgerBatch>();
        string? cursor = null;
        do
        {
            var path = $"{LedgerAudit.BatchesPath}?limit={LedgerAudit.MaxPageSize}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            using var response = await _http.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
            }

            var page = await response.Content.ReadFromJsonAsync<AuditPage<LedgerBatch>>(Json, cancellationToken)
                ?? throw new InvalidDataException($"GET {path} answered null.");
            batches.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return batches;
    }

    /// <summary><c>GET /metrics</c>: the ledger's metrics in the Prometheus text format.</summary>
    public Task<string> MetricsAsync(CancellationToken cancellationToken = default) => _http.GetStringAsync("metrics", cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>At most 500 characters of a body, for error messages.</summary>
    public static string Truncate(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
        return body.Length > 500 ? text + "…" : text;
    }
}
