using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>Long jobs at the real host process: a full queue, cancels of a queued and a running job, the time limit.</summary>
public sealed class FineTuneQueueTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostProcess _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Jobs far longer than any test: they end only when cancelled.
        _node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, Settings(100_000, ("EdgeNode__FineTuning__MaxQueued", "1")));
        _http = EdgeNodeHost.ProviderClient(_node, _dir.Path);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task FineTune_QueueFull_Is503WithRetryAfterAndCancelsGiveNoModel()
    {
        var running = await StartAsync(_http, "kjv-char-mlp", Public("long-a"));
        await WaitAsync(_http, running.JobId, j => j.State == FineTuneStates.Running && j.Step > 0);
        var queued = await StartAsync(_http, "kjv-char-mlp", Public("long-b"));

        using var refused = await _http.PostAsJsonAsync(EdgeRoutes.FineTune("kjv-char-mlp"), Public("long-c"));

        await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, FineTuneProblemTypes.QueueFull);
        Assert.Equal("30", refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var cancelledQueued = (await (await _http.PostAsync(EdgeRoutes.CancelFineTune(queued.JobId), null)).Content.ReadFromJsonAsync<FineTuneJob>())!;
        using var cancelRunning = await _http.PostAsync(EdgeRoutes.CancelFineTune(running.JobId), null);
        Assert.Equal(HttpStatusCode.OK, cancelRunning.StatusCode);
        var cancelledRunning = await WaitAsync(_http, running.JobId);

        Assert.Equal(FineTuneStates.Cancelled, cancelledQueued.State);
        Assert.Equal(FineTuneStates.Cancelled, cancelledRunning.State);
        Assert.True(cancelledRunning.Step > 0 && cancelledRunning.Step < cancelledRunning.Steps, $"stopped at {cancelledRunning.Step}/{cancelledRunning.Steps}");
        var models = (await _http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!;
        Assert.DoesNotContain(models, m => m.Name.StartsWith("long-", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_dir.Path, "models", "long-a")));
        await EdgeNodeHostTests.WaitUntilAsync(() => ExampleFiles(_dir.Path).Length == 0);
    }

    private static FineTuneRequest Public(string name) => new(Sample, name, Visibility: ModelVisibilities.Public);
}

/// <summary>A job that trains past <c>MaxDuration</c> fails, adds no model and keeps no examples.</summary>
public sealed class FineTuneTimeLimitTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private HostProcess _node = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, Settings(100_000, ("EdgeNode__FineTuning__MaxDuration", "00:00:02")));
        _http = EdgeNodeHost.ProviderClient(_node, _dir.Path);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _node.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task FineTune_PastMaxDuration_FailsWithoutAModel()
    {
        var accepted = await StartAsync(_http, "kjv-char-mlp", new FineTuneRequest(Sample, "too-slow", Visibility: ModelVisibilities.Public));

        var job = await WaitAsync(_http, accepted.JobId);

        Assert.Equal(FineTuneStates.Failed, job.State);
        Assert.Contains("ran past this node's limit", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain((await _http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!, m => m.Name == "too-slow");
        Assert.Empty(ExampleFiles(_dir.Path));
    }
}
