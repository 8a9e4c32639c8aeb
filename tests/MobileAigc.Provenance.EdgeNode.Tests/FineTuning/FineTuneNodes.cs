using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>What the fine-tune tests share: a creator's sample, node settings, and waiting for a job.</summary>
public static class FineTuneNodes
{
    /// <summary>The shipped creator sample (<c>models/samples/factbook-creator.txt</c>, public domain): one example per line.</summary>
    public static readonly IReadOnlyList<string> Sample =
        File.ReadAllLines(Path.Combine(RepositoryPaths.Models, "samples", "factbook-creator.txt")).Where(l => l.Length > 0).ToArray();

    /// <summary>The shipped sample pictures (<c>models/samples/images/sunset-*.jpg</c>), in name order.</summary>
    public static readonly IReadOnlyList<byte[]> SamplePictures =
        [.. Directory.GetFiles(Path.Combine(RepositoryPaths.Models, "samples", "images"), "sunset-*.jpg").Order(StringComparer.Ordinal).Select(File.ReadAllBytes)];

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
        until ??= j => FineTuneStates.IsFinal(j.State) && j.Refund != FineTuneRefunds.Pending;
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
