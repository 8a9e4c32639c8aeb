using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>What the fine-tune tests share: a creator's sample, node settings, and waiting for a job.</summary>
public static class FineTuneNodes
{
    /// <summary>A creator's sample written for these tests: plain prose about harbours and weather, far from the base model's style.</summary>
    public static readonly IReadOnlyList<string> Sample =
    [
        "The harbour master opens the ledger at dawn and writes the tide, the wind and the names of the boats that went out.",
        "When the fog comes down over the breakwater the lamps are lit early, and the fishermen wait on the quay with their nets folded.",
        "A good forecast is a quiet promise: light winds from the west, a falling swell, and rain that clears before the afternoon.",
        "The ferry to the island leaves at nine and returns at four; in winter it keeps to the timetable only when the sea allows it.",
        "Children count the gulls on the harbour wall while their parents mend the ropes and paint the hulls in bright colours.",
        "At the market the fish are sold by weight, and the best of the catch goes to the restaurants along the seafront.",
        "Storm warnings are posted on the board by the lifeboat station, and every skipper reads them before casting off.",
        "The lighthouse keeper climbs the stairs each evening, polishes the lens and notes the passing ships in a small book.",
        "By midsummer the harbour is full of visitors who walk the pier, buy ice cream and watch the boats come home at dusk.",
        "In the autumn gales the waves break over the outer wall, and the town listens to the sea all night long.",
        "The weather station on the hill measures the wind, the pressure and the rain, and sends its numbers to the coast guard.",
        "Old sailors say that a red sky at night brings a calm morning, and the young ones laugh but still look at the clouds.",
    ];

    /// <summary>Settings for a node that trains <paramref name="steps"/> steps per job, and more.</summary>
    public static Dictionary<string, string> Settings(int steps, params (string Name, string Value)[] more)
    {
        var settings = new Dictionary<string, string> { ["EdgeNode__FineTuning__Steps"] = steps.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in more)
        {
            settings[name] = value;
        }

        return settings;
    }

    /// <summary>Starts a fine-tune and answers the accepted job (asserting 202 and its Location).</summary>
    public static async Task<FineTuneAccepted> StartAsync(HttpClient http, string model, FineTuneRequest request)
    {
        using var response = await http.PostAsJsonAsync(EdgeRoutes.FineTune(model), request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var accepted = (await response.Content.ReadFromJsonAsync<FineTuneAccepted>())!;
        Assert.Equal(EdgeRoutes.FineTuneJob(accepted.JobId), response.Headers.Location!.ToString());
        return accepted;
    }

    /// <summary>Reads the job until <paramref name="until"/> holds (default: it has finished), within a generous time for a busy machine.</summary>
    public static async Task<FineTuneJob> WaitAsync(HttpClient http, string jobId, Func<FineTuneJob, bool>? until = null, TimeSpan? within = null)
    {
        until ??= j => FineTuneStates.IsFinal(j.State);
        var limit = within ?? TimeSpan.FromMinutes(4);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var job = (await http.GetFromJsonAsync<FineTuneJob>(EdgeRoutes.FineTuneJob(jobId)))!;
            if (until(job))
            {
                return job;
            }

            Assert.True(elapsed.Elapsed < limit, $"job {jobId} is still {job.State} (step {job.Step}/{job.Steps}) after {limit}");
            await Task.Delay(200);
        }
    }

    /// <summary>Asserts a ProblemDetails answer of <paramref name="status"/> and <paramref name="type"/>.</summary>
    public static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Equal(type, problem.Type);
        return problem;
    }

    /// <summary>The examples files left in the node's data folder.</summary>
    public static string[] ExampleFiles(string dataDirectory)
    {
        var folder = Path.Combine(dataDirectory, "fine-tune-examples");
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }
}
