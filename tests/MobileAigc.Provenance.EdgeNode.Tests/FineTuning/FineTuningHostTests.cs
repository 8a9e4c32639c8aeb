using System.Net;
using System.Net.Http.Json;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>One real edge-node host (payments off) that trains short fine-tunes, shared by the tests of a class.</summary>
public sealed class FineTuneNodeFixture : IAsyncLifetime, IDisposable
{
    public TempDirectory Directory { get; } = new();

    public HostProcess Host { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public NodeStatus Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await EdgeNodeHost.StartAsync(Directory.Path, ledger: null, Settings(200, ("EdgeNode__FineTuning__MaxExampleBytes", "60000")));
        Http = EdgeNodeHost.ProviderClient(Host, Directory.Path);
        Node = (await Http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node))!;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public void Dispose() => Directory.Dispose();
}

/// <summary>Fine-tune jobs at the real host process, payments off: success, the derivative served, privacy, every bad input.</summary>
public sealed class FineTuningHostTests(FineTuneNodeFixture node) : IClassFixture<FineTuneNodeFixture>
{
    private HttpClient Http => node.Http;

    [Fact]
    public async Task FineTune_Sample_SucceedsIsListedAndGeneratesText()
    {
        var accepted = await StartAsync(Http, "kjv-char-mlp", new FineTuneRequest(Sample, "harbour-public", Seed: 3, Visibility: ModelVisibilities.Public));
        Assert.Equal(FineTuneStates.Queued, accepted.Job.State);

        var job = await WaitAsync(Http, accepted.JobId);

        Assert.True(job.State == FineTuneStates.Succeeded, $"{job.State}: {job.Error}");
        Assert.True(job.HeldOutLossAfter < job.HeldOutLossBefore, $"held-out loss {job.HeldOutLossBefore} -> {job.HeldOutLossAfter}");
        Assert.Equal((200, 200), (job.Step, job.Steps));
        var models = (await Http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!;
        var derivative = models.Single(m => m.Name == "harbour-public");
        var parent = models.Single(m => m.Name == "kjv-char-mlp");
        Assert.Equal((job.DerivativeHash, (Bytes32?)parent.ModelHash, ModelVisibilities.Public), ((Bytes32?)derivative.ModelHash, derivative.Parent, derivative.Visibility));
        Assert.Equal(job.DerivativeHash, Bytes32.Sha256(await File.ReadAllBytesAsync(Path.Combine(node.Directory.Path, "models", "harbour-public", "model.onnx"))));

        var response = await Http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("The harbour", Model: "harbour-public", MaxNewTokens: 30, Seed: 1));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var generated = (await response.Content.ReadFromJsonAsync<GenerateTextResponse>())!;
        Assert.NotEmpty(generated.Text);
        Assert.Equal(job.DerivativeHash, generated.Record.Record.ModelHash);
    }

    [Fact]
    public async Task FineTune_Job_CommitsToTheExamplesWithItsSaltAndDeletesThem()
    {
        var accepted = await StartAsync(Http, "kjv-char-mlp", new FineTuneRequest(Sample, "harbour-commitment", Visibility: ModelVisibilities.Public));

        var job = await WaitAsync(Http, accepted.JobId);

        Assert.Equal(FineTuneStates.Succeeded, job.State);
        Assert.Equal(Commitments.TrainingData(job.TrainingDataSalt, Sample), job.TrainingDataCommitment);
        var manifest = await File.ReadAllTextAsync(Path.Combine(node.Directory.Path, "models", "harbour-commitment", "manifest.json"));
        Assert.Contains(job.TrainingDataCommitment.ToString(), manifest, StringComparison.Ordinal);
        Assert.DoesNotContain(Sample[0], manifest, StringComparison.Ordinal);
        await EdgeNodeHostTests.WaitUntilAsync(() => !ExampleFiles(node.Directory.Path).Any(f => f.Contains(accepted.JobId, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FineTune_PrivateDerivative_ServesOnlyTheCreatorWhoSignedFor()
    {
        var owner = EthECKey.GenerateKey();
        var stranger = EthECKey.GenerateKey();
        var parent = (await Http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!.Single(m => m.Name == "kjv-char-mlp");
        var request = new FineTuneRequest(Sample, "harbour-private", Creator: Sign(owner, parent.ModelHash, "harbour-private"));
        var job = await WaitAsync(Http, (await StartAsync(Http, "kjv-char-mlp", request)).JobId);
        Assert.Equal((FineTuneStates.Succeeded, EvmAddress.Parse(owner.GetPublicAddress())), (job.State, job.Owner));

        var anonymous = await GenerateAsync(null, job);
        var other = await GenerateAsync(stranger, job);
        var own = await GenerateAsync(owner, job);

        await AssertProblemAsync(anonymous, HttpStatusCode.Forbidden, FineTuneProblemTypes.PrivateModel);
        await AssertProblemAsync(other, HttpStatusCode.Forbidden, FineTuneProblemTypes.PrivateModel);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task FineTune_AnotherCreatorsPrivateDerivativeAsTheBase_Is403()
    {
        var owner = EthECKey.GenerateKey();
        var stranger = EthECKey.GenerateKey();
        var parent = (await Http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!.Single(m => m.Name == "kjv-char-mlp");
        var job = await WaitAsync(Http, (await StartAsync(Http, "kjv-char-mlp",
            new FineTuneRequest(Sample, "harbour-own", Creator: Sign(owner, parent.ModelHash, "harbour-own")))).JobId);
        Assert.Equal(FineTuneStates.Succeeded, job.State);

        using var response = await Http.PostAsJsonAsync(EdgeRoutes.FineTune("harbour-own"), new FineTuneRequest(
            Sample, "harbour-taken", Visibility: ModelVisibilities.Public, Creator: Sign(stranger, job.DerivativeHash!.Value, "harbour-taken")));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, FineTuneProblemTypes.PrivateModel);
    }

    [Fact]
    public async Task FineTune_PrivateWithoutAnOwner_IsRefused()
    {
        using var response = await Http.PostAsJsonAsync(EdgeRoutes.FineTune("kjv-char-mlp"), new FineTuneRequest(Sample, "harbour-nobody"));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, FineTuneProblemTypes.InvalidParameter);
    }

    [Fact]
    public async Task FineTune_ExamplesTheTrainingRefuses_FailsAddsNoModelAndKeepsNoExamples()
    {
        var accepted = await StartAsync(Http, "kjv-char-mlp", new FineTuneRequest(["far too short to learn anything from"], "harbour-short", Visibility: ModelVisibilities.Public));

        var job = await WaitAsync(Http, accepted.JobId);

        Assert.Equal(FineTuneStates.Failed, job.State);
        Assert.Contains("cannot be trained on", job.Error, StringComparison.Ordinal);
        Assert.Null(job.DerivativeHash);
        Assert.DoesNotContain((await Http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!, m => m.Name == "harbour-short");
        Assert.DoesNotContain(ExampleFiles(node.Directory.Path), f => f.Contains(accepted.JobId, StringComparison.Ordinal));
    }

    public static TheoryData<string, string, HttpStatusCode, string> BadRequests() => new()
    {
        { "no-such-model", """{"examples":["some text"],"name":"x","visibility":"public"}""", HttpStatusCode.NotFound, GenerationProblemTypes.UnknownModel },
        { "kjv-char-mlp", """{"examples":[],"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.ExamplesEmpty },
        { "kjv-char-mlp", """{"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.ExamplesEmpty },
        { "kjv-char-mlp", """{"examples":["  "],"name":"x","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.ExamplesEmpty },
        { "kjv-char-mlp", "{\"examples\":[\"" + new string('a', 60_001) + "\"],\"name\":\"x\",\"visibility\":\"public\"}", HttpStatusCode.RequestEntityTooLarge, FineTuneProblemTypes.ExamplesTooLarge },
        { "cppn-image", """{"examples":["a red boat at sea"],"name":"x","visibility":"public"}""", HttpStatusCode.UnprocessableEntity, FineTuneProblemTypes.UnsupportedData },
        { "kjv-char-mlp", """{"examples":["some text"],"name":"Not A Name","visibility":"public"}""", HttpStatusCode.BadRequest, FineTuneProblemTypes.InvalidParameter },
        { "kjv-char-mlp", """{"examples":["some text"],"name":"kjv-char-mlp","visibility":"public"}""", HttpStatusCode.Conflict, FineTuneProblemTypes.NameTaken },
        { "kjv-char-mlp", """{"examples":"not a list","name":"x"}""", HttpStatusCode.BadRequest, EdgeNodeProblemTypes.MalformedBody },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task FineTune_BadRequest_IsAProblemAndQueuesNothing(string model, string body, HttpStatusCode status, string type)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync(EdgeRoutes.FineTune(model), content);

        var problem = await AssertProblemAsync(response, status, type);
        Assert.False(problem.Extensions.ContainsKey("jobId"));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task FineTune_BodyFarOverTheLimit_Is413()
    {
        using var content = new StringContent("{\"examples\":[\"" + new string('a', 500_000) + "\"],\"name\":\"x\"}", System.Text.Encoding.UTF8, "application/json");

        using var response = await Http.PostAsync(EdgeRoutes.FineTune("kjv-char-mlp"), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("not-a-job")]
    [InlineData("0123456789ABCDEF0123456789ABCDEF")]
    public async Task Job_UnknownId_Is404ForReadAndCancel(string jobId)
    {
        using var read = await Http.GetAsync(EdgeRoutes.FineTuneJob(jobId));
        using var cancel = await Http.PostAsync(EdgeRoutes.CancelFineTune(jobId), null);

        await AssertProblemAsync(read, HttpStatusCode.NotFound, FineTuneProblemTypes.UnknownJob);
        await AssertProblemAsync(cancel, HttpStatusCode.NotFound, FineTuneProblemTypes.UnknownJob);
    }

    [Fact]
    public async Task Jobs_AnotherCreatorsJob_IsNeitherListedNorFoundWithoutItsId()
    {
        var accepted = await StartAsync(Http, "kjv-char-mlp", new FineTuneRequest(Sample, "harbour-secret", Visibility: ModelVisibilities.Public));

        using var list = await Http.GetAsync("v1/fine-tunes");
        var guessed = accepted.JobId[..^1] + (accepted.JobId[^1] == '0' ? '1' : '0');
        using var read = await Http.GetAsync(EdgeRoutes.FineTuneJob(guessed));

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        await AssertProblemAsync(read, HttpStatusCode.NotFound, FineTuneProblemTypes.UnknownJob);
        Assert.Equal(32, accepted.JobId.Length);
        await WaitAsync(Http, accepted.JobId);
    }

    [Fact]
    public async Task Cancel_FinishedJob_Is409()
    {
        var accepted = await StartAsync(Http, "kjv-char-mlp", new FineTuneRequest(["far too short to learn anything from"], "harbour-done", Visibility: ModelVisibilities.Public));
        await WaitAsync(Http, accepted.JobId);

        using var response = await Http.PostAsync(EdgeRoutes.CancelFineTune(accepted.JobId), null);

        await AssertProblemAsync(response, HttpStatusCode.Conflict, FineTuneProblemTypes.JobFinished);
    }

    private CreatorIdentity Sign(EthECKey key, Bytes32 model, string prompt) =>
        CreatorRequests.Sign(key, node.Node.Node, model, prompt, ContractDomain.ForProvenanceLedger(node.Node.RecordChainId!.Value, node.Node.ProvenanceLedger!.Value));

    private Task<HttpResponseMessage> GenerateAsync(EthECKey? creator, FineTuneJob job)
    {
        const string prompt = "The harbour";
        var identity = creator is null ? null : Sign(creator, job.DerivativeHash!.Value, prompt);
        return Http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest(prompt, Model: job.Name, MaxNewTokens: 10, Creator: identity));
    }
}
