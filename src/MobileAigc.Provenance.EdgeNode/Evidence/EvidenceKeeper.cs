using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

namespace MobileAigc.Provenance.EdgeNode.Evidence;

/// <summary>What one pass of <see cref="EvidenceKeeper.KeepDueAsync"/> did.</summary>
/// <param name="Asked">Records whose evidence was asked for.</param>
/// <param name="Kept">Evidence checked and kept.</param>
/// <param name="Refused">Evidence refused (logged and counted by reason).</param>
/// <param name="Failed">True when the ledger or the chain could not be read: the pass stopped early.</param>
/// <param name="SentAgain">Delivered records the ledger answered it holds no record of, handed back to the outbox to send again.</param>
public readonly record struct EvidencePass(int Asked, int Kept, int Refused, bool Failed, int SentAgain = 0);

/// <summary>
/// Pulls the evidence of the node's delivered records from the ledger in bulk (<c>POST api/records/evidence</c>, up to
/// <see cref="EvidenceOptions.BatchSize"/> digests a request, longest due first), checks each piece
/// (<see cref="OwnEvidenceCheck"/>) and keeps what holds (<see cref="EvidenceStore"/>), so that the node's records stay
/// provable if the ledger's database is lost or withheld. A record that gets no evidence it can keep (not anchored
/// yet, or refused) is asked again after its own back-off (<see cref="EvidenceStore.Postpone"/>: from
/// <see cref="EvidenceOptions.PollInterval"/>, doubling up to <see cref="EvidenceOptions.MaxBackoff"/>), so records the
/// ledger never anchors do not make every pass ask for them. While the ledger or the chain cannot be read, the wait
/// between passes doubles the same way. Refused evidence is logged as a warning and counted
/// (<c>provenance.node.evidence.refused</c>); nothing of it is kept. A delivered record the ledger answers it does not
/// hold at all (lost with its database) is sent again through the outbox, keeping its back-off.
/// </summary>
public sealed partial class EvidenceKeeper(
    EvidenceStore store,
    HttpClient http,
    Uri ledger,
    IWeb3 web3,
    AnchoringDeployment deployment,
    EvidenceOptions options,
    TimeProvider time,
    ILogger<EvidenceKeeper> logger,
    EdgeNodeMetrics? metrics = null) : BackgroundService
{
    /// <summary>One pass over the delivered records due to be asked for their evidence. Used by the loop and by tests.</summary>
    public async Task<EvidencePass> KeepDueAsync(CancellationToken cancellationToken)
    {
        var pass = new EvidencePass();
        var now = time.GetUtcNow();
        // Every record of a page is kept or postponed past now, so each page takes new records and the loop ends.
        while (store.TakeDue(now, options.BatchSize) is { Count: > 0 } page)
        {
            try
            {
                pass = await KeepPageAsync(page, pass, now, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or RpcClientUnknownException
                                          or RpcClientTimeoutException or RpcResponseException or Chain.Errors.ContractRevertException
                                      && !cancellationToken.IsCancellationRequested)
            {
                LogPassFailed(pass.Asked, e.Message);
                return pass with { Failed = true };
            }
        }

        return pass;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = options.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            EvidencePass pass;
            try
            {
                pass = await KeepDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything else (a record of the node's own that does not parse, a full disk) must not stop the node:
                // it is logged as an error and the pass is tried again after the back-off.
                LogPassCrashed(e);
                pass = new EvidencePass(0, 0, 0, true);
            }

            wait = pass.Failed ? TimeSpan.FromTicks(Math.Min(options.MaxBackoff.Ticks, wait.Ticks * 2)) : options.PollInterval;
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<EvidencePass> KeepPageAsync(IReadOnlyList<UnprovenRecord> page, EvidencePass pass, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (offered, unknown) = await AskAsync(page, cancellationToken);
        var kept = new List<(ulong, RecordEvidence)>();
        var refused = 0;
        if (offered.Count > 0)
        {
            // Only when the ledger answered something: a page of records not anchored yet reads nothing from the chain.
            var check = new OwnEvidenceCheck(web3, deployment, options, (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value);
            var wanted = page.ToDictionary(r => r.RecordDigest);
            foreach (var evidence in offered)
            {
                var digest = evidence?.Inclusion?.RecordDigest;
                EvidenceVerdict verdict;
                if (digest is not { } key || !wanted.Remove(key, out var own))
                {
                    verdict = new EvidenceVerdict(null, EvidenceRefusals.NotRequested, "the ledger answered evidence of a record the node did not ask for (or twice)");
                }
                else
                {
                    verdict = await check.CheckAsync(own, evidence!, cancellationToken);
                    if (verdict.Kept is { } good)
                    {
                        kept.Add((own.Sequence, good));
                        continue;
                    }
                }

                if (verdict.Refusal is { } reason)
                {
                    refused++;
                    metrics?.RecordEvidenceRefused(reason);
                    LogRefused(digest?.ToString() ?? "(none)", reason, verdict.Detail);
                }
            }
        }

        store.Keep(kept, time.GetUtcNow());
        var keptSequences = kept.Select(k => k.Item1).ToHashSet();
        store.Postpone([.. page.Select(r => r.Sequence).Where(s => !keptSequences.Contains(s))], now, options.PollInterval, options.MaxBackoff);
        metrics?.RecordEvidenceKept(kept.Count);
        if (kept.Count > 0)
        {
            LogKept(kept.Count, page.Count);
        }

        // Only digests the node asked for and got no evidence of; anything else in the list is ignored.
        var lost = page.Where(r => unknown.Contains(r.RecordDigest) && !keptSequences.Contains(r.Sequence)).Select(r => r.Sequence).ToList();
        if (lost.Count > 0)
        {
            store.SendAgain(lost, time.GetUtcNow());
            LogSentAgain(lost.Count);
        }

        return new EvidencePass(pass.Asked + page.Count, pass.Kept + kept.Count, pass.Refused + refused, false, pass.SentAgain + lost.Count);
    }

    private async Task<(IReadOnlyList<RecordEvidence> Evidence, IReadOnlySet<Bytes32> Unknown)> AskAsync(IReadOnlyList<UnprovenRecord> page, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            new Uri(ledger, LedgerEvidence.EvidencePath), new RecordEvidenceRequest([.. page.Select(r => r.RecordDigest)]), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"the ledger answered {(int)response.StatusCode} to {LedgerEvidence.EvidencePath}", null, response.StatusCode);
        }

        var answer = await response.Content.ReadFromJsonAsync<RecordEvidenceResponse>(cancellationToken);
        var evidence = answer?.Evidence ?? throw new HttpRequestException($"the ledger answered {LedgerEvidence.EvidencePath} without evidence");
        return (evidence, (answer.Unknown ?? []).ToHashSet());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kept the checked evidence of {Kept} of {Asked} records")]
    private partial void LogKept(int kept, int asked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger holds no record of {Count} records it accepted from this node; they are sent again")]
    private partial void LogSentAgain(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused the ledger's evidence of record {Digest} ({Reason}): {Detail}; nothing of it is kept")]
    private partial void LogRefused(string digest, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Keeping evidence failed; the pass is tried again after the back-off")]
    private partial void LogPassCrashed(Exception error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping evidence stopped after {Asked} records: the ledger or the chain could not be read: {Error}")]
    private partial void LogPassFailed(int asked, string error);
}
