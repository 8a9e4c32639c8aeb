using System.Collections.Concurrent;
using System.Net;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Records;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>
/// A real HTTP server on a loopback port answering the ledger's ingest route, until the ledger
/// service exists: stores what it receives, can be told to fail or to refuse records.
/// </summary>
public sealed class LedgerStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LedgerStandIn(WebApplication app) => _app = app;

    public ConcurrentDictionary<ulong, SignedProvenanceRecord> Received { get; } = new();

    /// <summary>When set, the ingest answers this status and stores nothing.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>Records with these sequences are answered Accepted = false with the given problem type.</summary>
    public ConcurrentDictionary<ulong, string> Refuse { get; } = new();

    /// <summary>Records with these sequences are answered Accepted = true with these problems in <see cref="SubmittedRecord.NotKept"/>.</summary>
    public ConcurrentDictionary<ulong, RecordProblem> NotKeep { get; } = new();

    /// <summary>How many times each sequence was submitted.</summary>
    public ConcurrentDictionary<ulong, int> Submissions { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What <c>POST api/records/evidence</c> answers; by default the evidence in <see cref="Evidence"/> of the digests asked.</summary>
    public Func<RecordEvidenceRequest, RecordEvidenceResponse>? AnswerEvidence { get; set; }

    /// <summary>The evidence the default answer of <c>POST api/records/evidence</c> hands out, by record digest.</summary>
    public ConcurrentDictionary<Core.Primitives.Bytes32, RecordEvidence> Evidence { get; } = new();

    /// <summary>How many evidence requests were answered.</summary>
    public int EvidenceRequests => _evidenceRequests;

    private int _evidenceRequests;

    public static async Task<LedgerStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new LedgerStandIn(app);
        app.MapPost("/" + LedgerIngest.RecordsPath, (SubmitRecordsRequest request) =>
        {
            if (standIn.FailWith is { } status)
            {
                return Results.Problem(statusCode: (int)status, title: "stand-in failure");
            }

            var answers = request.Records.Select(r =>
            {
                standIn.Submissions.AddOrUpdate(r.Record.Sequence, 1, (_, n) => n + 1);
                if (standIn.Refuse.TryGetValue(r.Record.Sequence, out var problem))
                {
                    return new SubmittedRecord(r.Record.ContentHash, false, new RecordProblem(problem, "stand-in refusal"));
                }

                standIn.Received[r.Record.Sequence] = r;
                return new SubmittedRecord(
                    r.Record.ContentHash, true, NotKept: standIn.NotKeep.TryGetValue(r.Record.Sequence, out var notKept) ? [notKept] : null);
            }).ToList();
            // As the real ledger: when no record is accepted, one problem lists each record's refusal in 'errors'.
            return answers.All(a => !a.Accepted)
                ? Results.Problem(statusCode: 422, title: "Refused", type: answers[0].Problem!.Type, detail: "stand-in refusal",
                    extensions: new Dictionary<string, object?>
                    {
                        ["errors"] = answers.Select((a, index) => new { index, digest = a.RecordDigest.ToString(), type = a.Problem!.Type, detail = a.Problem.Detail }).ToList(),
                    })
                : Results.Ok(new SubmitRecordsResponse(answers));
        });
        app.MapPost("/" + LedgerEvidence.EvidencePath, (RecordEvidenceRequest request) =>
        {
            Interlocked.Increment(ref standIn._evidenceRequests);
            return Results.Ok(standIn.AnswerEvidence?.Invoke(request)
                ?? new RecordEvidenceResponse([.. request.Digests.Where(standIn.Evidence.ContainsKey).Select(d => standIn.Evidence[d])]));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        standIn.BaseAddress = new Uri(address + "/");
        return standIn;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
