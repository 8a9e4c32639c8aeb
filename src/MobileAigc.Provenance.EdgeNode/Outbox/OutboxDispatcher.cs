using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.EdgeNode.Outbox;

/// <summary>
/// Delivers the outbox to the ledger's ingest API in batches, for as long as the node runs.
/// A failed delivery (ledger away, network down, a refusal that time may cure such as a node not
/// yet registered) leaves the records pending and retries them with exponential backoff (with
/// jitter) up to <see cref="LedgerDeliveryOptions.MaxBackoff"/>; nothing is dropped. Re-sending is
/// safe: the ledger's ingest is idempotent. A refusal no retry can cure
/// (<see cref="RecordProblemTypes.IsPermanent"/>) holds the record in the outbox instead
/// (<see cref="RecordOutbox.MarkHeld"/>), logged as an error for the operator. A record accepted without
/// everything sent with it (<see cref="SubmittedRecord.NotKept"/>: a manifest store or delivered-file statement the
/// ledger did not keep) is delivered all the same, never sent again for it: the ledger's answer would not change. Its
/// problems are logged as a warning and noted on its outbox row (<see cref="RecordOutbox.DeliveredWithNotes"/>).
/// </summary>
public sealed partial class OutboxDispatcher(
    RecordOutbox outbox,
    HttpClient http,
    IOptions<LedgerDeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger,
    EdgeNodeMetrics? metrics = null) : BackgroundService
{
    private readonly LedgerDeliveryOptions _options = options.Value;

    /// <summary>Delivers every due record once; returns how many the ledger accepted. Used by the loop and by tests.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (_options.BaseAddress is null)
        {
            return 0;
        }

        var accepted = 0;
        while (outbox.TakeDue(_options.BatchSize, time.GetUtcNow()) is { Count: > 0 } due)
        {
            var sequences = due.Select(e => e.Sequence).ToList();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.RequestTimeout);
                using var response = await http.PostAsJsonAsync(
                    new Uri(_options.BaseAddress, LedgerIngest.RecordsPath),
                    new SubmitRecordsRequest(due.Select(e => e.SignedRecord).ToList()),
                    timeout.Token);
                SubmitRecordsResponse result;
                if (!response.IsSuccessStatusCode)
                {
                    var problem = await response.Content.ReadAsStringAsync(cancellationToken);
                    // Every record refused: the ledger answers one problem with each record's refusal in 'errors';
                    // those are sorted like a 200's answers, so a refusal for good is held, not retried forever.
                    if (EveryRecordRefused(problem, due.Count) is not { } refusals)
                    {
                        Fail(due, $"ledger answered {(int)response.StatusCode}: {Truncate(problem)}");
                        return accepted;
                    }

                    result = refusals;
                }
                else
                {
                    result = await response.Content.ReadFromJsonAsync<SubmitRecordsResponse>(cancellationToken)
                        ?? throw new InvalidOperationException("The ledger answered without a body.");
                }

                if (result.Records.Count != due.Count)
                {
                    throw new InvalidOperationException($"The ledger answered for {result.Records.Count} records; {due.Count} were sent.");
                }

                var answers = due.Zip(result.Records).ToList();
                var acceptedNow = answers.Where(p => p.Second.Accepted).Select(p => p.First).ToList();
                var notKept = answers.Where(p => p.Second is { Accepted: true, NotKept.Count: > 0 }).ToList();
                outbox.MarkDelivered(acceptedNow.Except(notKept.Select(p => p.First)).Select(e => e.Sequence), time.GetUtcNow());
                foreach (var (entry, answer) in notKept)
                {
                    var note = string.Join("; ", answer.NotKept!.Select(p => $"not kept: {p.Type}: {p.Detail}"));
                    outbox.MarkDelivered(entry.Sequence, note, time.GetUtcNow());
                    LogNotKept(entry.Sequence, answer.RecordDigest.ToString(), note);
                }

                var refused = answers.Where(p => !p.Second.Accepted).ToLookup(p => RecordProblemTypes.IsPermanent(p.Second.Problem?.Type));
                foreach (var (entry, answer) in refused[true])
                {
                    var problem = $"{answer.Problem!.Type}: {answer.Problem.Detail}";
                    outbox.MarkHeld([entry.Sequence], problem, time.GetUtcNow());
                    LogHeld(entry.Sequence, answer.RecordDigest.ToString(), problem);
                }

                var retry = refused[false].ToList();
                if (retry.Count > 0)
                {
                    Fail(
                        [.. retry.Select(p => p.First)],
                        "ledger refused the record: " + string.Join("; ", retry.Select(p => p.Second.Problem?.Type ?? "no reason given").Distinct()));
                }

                accepted += acceptedNow.Count;
                metrics?.RecordDeliveries(acceptedNow.Count, refused[true].Count(), retried: 0); // Fail counts the retried ones
                LogDelivered(acceptedNow.Count, answers.Count - acceptedNow.Count);
                if (retry.Count > 0)
                {
                    return accepted;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException
                && !cancellationToken.IsCancellationRequested)
            {
                Fail(due, e.Message);
                return accepted;
            }
        }

        return accepted;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await DeliverDueAsync(stoppingToken);
            try
            {
                await Task.Delay(_options.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // The refusal problem of POST api/records when no record was accepted: {"type", ..., "errors": [{index, digest, type, detail}]}.
    private static SubmitRecordsResponse? EveryRecordRefused(string problem, int count)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(problem);
            if (!json.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != System.Text.Json.JsonValueKind.Array
                || errors.GetArrayLength() != count)
            {
                return null;
            }

            var answers = new SubmittedRecord?[count];
            foreach (var error in errors.EnumerateArray())
            {
                var index = error.GetProperty("index").GetInt32();
                if (index < 0 || index >= count || answers[index] is not null)
                {
                    return null;
                }

                answers[index] = new SubmittedRecord(
                    Bytes32.Parse(error.GetProperty("digest").GetString()!), false,
                    new RecordProblem(error.GetProperty("type").GetString()!, error.GetProperty("detail").GetString() ?? ""));
            }

            return new SubmitRecordsResponse(answers!);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private void Fail(IReadOnlyList<OutboxEntry> entries, string error)
    {
        var attempts = entries.Max(e => e.Attempts) + 1;
        var backoff = TimeSpan.FromTicks(Math.Min(
            _options.MaxBackoff.Ticks,
            _options.MinBackoff.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 30))));
        var jitter = TimeSpan.FromTicks((long)(backoff.Ticks * 0.2 * Random.Shared.NextDouble()));
        outbox.MarkFailed(entries.Select(e => e.Sequence), error, time.GetUtcNow() + backoff + jitter);
        metrics?.RecordDeliveries(0, 0, entries.Count);
        LogDeliveryFailed(entries.Count, attempts, backoff, error);
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Accepted} records to the ledger ({Refused} refused)")]
    private partial void LogDelivered(int accepted, int refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "The ledger refused record {Sequence} ({Digest}) for good; it is held in the outbox and not sent again: {Problem}")]
    private partial void LogHeld(ulong sequence, string digest, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger accepted record {Sequence} ({Digest}) but did not keep everything sent with it; it is not sent again: {Problems}")]
    private partial void LogNotKept(ulong sequence, string digest, string problems);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery of {Count} records failed (attempt {Attempt}); retrying in {Backoff}: {Error}")]
    private partial void LogDeliveryFailed(int count, int attempt, TimeSpan backoff, string error);
}
