using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>The generation concurrency limit on the real host process, set to one slot and no queue.</summary>
public sealed class EdgeNodeBusyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Generate_MoreRequestsThanSlots_AnswersTheRest503WithRetryAfter_AndServesTheAdmitted()
    {
        await using var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, new Dictionary<string, string>
        {
            ["EdgeNode__Host__MaxConcurrentGenerations"] = "1",
            ["EdgeNode__Host__GenerationQueueLimit"] = "0",
            ["EdgeNode__Host__BusyRetryAfter"] = "00:00:07",
        });
        using var http = EdgeNodeHost.ProviderClient(node, _dir.Path, TimeSpan.FromSeconds(120));

        // Sent together: one takes the slot for the whole of its generation, the others find it taken.
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest($"a lighthouse {i}", Width: 256, Height: 256))));

        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, r.StatusCode.ToString()));
        foreach (var response in busy)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
            Assert.Equal(EdgeNodeProblemTypes.NodeBusy, (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Type);
        }

        // Reads are not generation: they answer while the node is busy, and the health probe never queues.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);
    }

    public void Dispose() => _dir.Dispose();
}
