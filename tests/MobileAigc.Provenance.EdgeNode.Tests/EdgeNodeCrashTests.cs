using System.Collections.Concurrent;
using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.EdgeNode.Tests;

/// <summary>kill -9 of the node loses no record whose content it returned.</summary>
public sealed class EdgeNodeCrashTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task KillMinusNine_UnderLoad_EveryAnsweredRecordReachesTheLedgerAfterRestart()
    {
        var answered = new ConcurrentDictionary<ulong, Core.Primitives.Bytes32>();
        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path, TimeSpan.FromSeconds(30));
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, 4).Select(async client =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        var response = await http.PostAsJsonAsync(EdgeRoutes.GenerateText,
                            new GenerateTextRequest($"client {client}", MaxNewTokens: 10), stop.Token);
                        var result = await response.Content.ReadFromJsonAsync<GenerateTextResponse>(stop.Token);
                        answered[result!.Record.Record.Sequence] = result.Record.Record.ContentHash;
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
                    {
                        return; // the node died under us, or we stopped
                    }
                }
            }).ToList();

            await EdgeNodeHostTests.WaitUntilAsync(() => answered.Count >= 25);
            node.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        await using var ledger = await LedgerStandIn.StartAsync();
        await using var restarted = await EdgeNodeHost.StartAsync(_dir.Path, ledger.BaseAddress);

        await EdgeNodeHostTests.WaitUntilAsync(() => answered.Keys.All(ledger.Received.ContainsKey));
        Assert.All(answered, a => Assert.Equal(a.Value, ledger.Received[a.Key].Record.ContentHash));
    }

    public void Dispose() => _dir.Dispose();
}
