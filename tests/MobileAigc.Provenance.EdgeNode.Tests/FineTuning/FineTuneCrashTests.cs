using System.Net.Http.Json;
using MobileAigc.Provenance.Core.Api;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>kill -9 of the node during a job (text or image): after restart the job completes with the derivative an uninterrupted run makes.</summary>
public sealed class FineTuneCrashTests : IDisposable
{
    private const int Steps = 400;
    private readonly TempDirectory _killed = new();
    private readonly TempDirectory _uninterrupted = new();

    [Theory]
    [InlineData("kjv-char-mlp")]
    [InlineData("cppn-image")]
    public async Task KillMinusNine_DuringAJob_RestartCompletesItWithTheSameDerivativeHash(string model)
    {
        // The same node key in both folders: the node's address is written into the derivative.
        await using (await EdgeNodeHost.StartAsync(_killed.Path, ledger: null))
        {
        }

        File.Copy(Path.Combine(_killed.Path, "node-keystore.json"), Path.Combine(_uninterrupted.Path, "node-keystore.json"));
        var request = model == "cppn-image"
            ? new FineTuneRequest(null, "sunset-crash", Seed: 11, Visibility: ModelVisibilities.Public, Salt: Core.Records.Commitments.NewSalt(), Pictures: SamplePictures)
            : new FineTuneRequest(Sample, "harbour-crash", Seed: 11, Visibility: ModelVisibilities.Public, Salt: Core.Records.Commitments.NewSalt());

        string jobId;
        await using (var node = await EdgeNodeHost.StartAsync(_killed.Path, ledger: null, Settings(Steps)))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _killed.Path);
            jobId = (await StartAsync(http, model, request)).JobId;
            var running = await WaitAsync(http, jobId, j => j.Step > 0 || FineTuneStates.IsFinal(j.State));
            Assert.Equal(FineTuneStates.Running, running.State);
            node.Kill();
        }

        await using (var restarted = await EdgeNodeHost.StartAsync(_killed.Path, ledger: null, Settings(Steps)))
        {
            using var http = EdgeNodeHost.ProviderClient(restarted, _killed.Path);
            var afterCrash = await WaitAsync(http, jobId);
            Assert.Equal(FineTuneStates.Succeeded, afterCrash.State);

            await using var other = await EdgeNodeHost.StartAsync(_uninterrupted.Path, ledger: null, Settings(Steps));
            using var otherHttp = EdgeNodeHost.ProviderClient(other, _uninterrupted.Path);
            var uninterrupted = await WaitAsync(otherHttp, (await StartAsync(otherHttp, model, request)).JobId);

            Assert.Equal(FineTuneStates.Succeeded, uninterrupted.State);
            Assert.Equal(uninterrupted.DerivativeHash, afterCrash.DerivativeHash);
            Assert.Contains((await http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!, m => m.ModelHash == afterCrash.DerivativeHash);
            Assert.Empty(ExampleFiles(_killed.Path));
        }
    }

    public void Dispose()
    {
        _killed.Dispose();
        _uninterrupted.Dispose();
    }
}
