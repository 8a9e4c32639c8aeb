using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Tests.Payments;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>Paid fine-tunes at the real host process against a real anvil: the fee's voucher, and its refund when no model comes of it.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class PaidFineTuneTests(PaymentChainFixture chain) : IDisposable
{
    private const int FeeInGenerations = 5;
    private static readonly BigInteger Price = PaymentChainFixture.TextPrice;
    private static readonly BigInteger Fee = FeeInGenerations * Price;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task FineTune_PaidThroughTheBaseModelsChannel_StoresTheFeeVoucherAndTheDerivativeIsThePayers()
    {
        await using var node = await StartNodeAsync(steps: 40);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);
        var client = new EdgeNodeClient(CreatorHttp(node), creator.Key);

        var accepted = await client.StartFineTuneAsync("kjv-char-mlp", new FineTuneRequest(Sample, "paid-harbour"), channel);

        Assert.Equal(new AcceptedPayment(channel, 1, Fee, Fee), accepted.Job.Payment);
        var state = (await provider.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel)))!;
        Assert.Equal((1UL, Fee), (state.Nonce, state.CumulativeAmount));
        var job = await WaitAsync(provider, accepted.JobId);
        Assert.Equal((FineTuneStates.Succeeded, creator.Address, (string?)null), (job.State, job.Owner, job.Refund));
        Assert.Equal(job, await client.GetFineTuneAsync(accepted.JobId));
        var derivative = (await provider.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!.Single(m => m.Name == "paid-harbour");
        Assert.Equal((creator.Address, chain.TextModel, ModelVisibilities.Private), (derivative.Owner, derivative.Parent, derivative.Visibility));
        Assert.Equal((1UL, Fee), ((await provider.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel)))!.Nonce, Fee));
    }

    [Fact]
    public async Task FineTune_OwnerProvider_IsTheProvidersDerivative()
    {
        await using var node = await StartNodeAsync(steps: 40);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);

        var accepted = await new EdgeNodeClient(CreatorHttp(node), creator.Key).StartFineTuneAsync(
            "kjv-char-mlp", new FineTuneRequest(Sample, "provider-harbour", Owner: DerivativeOwners.Provider), channel);

        var terms = (await provider.GetFromJsonAsync<PaymentTerms>(EdgeRoutes.Payments))!;
        Assert.Equal(terms.Provider ?? terms.Node, accepted.Job.Owner);
    }

    [Fact]
    public async Task FineTune_VoucherForOneGeneration_Is402NamingTheFeeAndQueuesNothing()
    {
        await using var node = await StartNodeAsync(steps: 40);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);

        using var response = await provider.PostAsJsonAsync(EdgeRoutes.FineTune("kjv-char-mlp"),
            new FineTuneRequest(Sample, "cheap-harbour", Payment: chain.Pay(creator.Key, channel, Price, 1)));

        var problem = await AssertProblemAsync(response, HttpStatusCode.PaymentRequired, PaymentProblemTypes.VoucherUnderpaid);
        Assert.Equal(Fee.ToString(), ((JsonElement)problem.Extensions["requiredAmount"]!).GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
        Assert.Empty(ExampleFiles(_dir.Path));
    }

    [Fact]
    public async Task FineTune_TrainingFails_ReleasesTheFeeAndAddsNoModel()
    {
        await using var node = await StartNodeAsync(steps: 40);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);
        var client = new EdgeNodeClient(CreatorHttp(node), creator.Key);

        var accepted = await client.StartFineTuneAsync("kjv-char-mlp", new FineTuneRequest(["far too short to learn anything from"], "failed-harbour"), channel);
        var job = await WaitAsync(provider, accepted.JobId);

        Assert.Equal((FineTuneStates.Failed, FineTuneRefunds.Released), (job.State, job.Refund));
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
        Assert.DoesNotContain((await provider.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!, m => m.Name == "failed-harbour");
    }

    [Fact]
    public async Task FineTune_Cancelled_ReleasesTheFeeAndAddsNoModel()
    {
        await using var node = await StartNodeAsync(steps: 100_000);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);
        var client = new EdgeNodeClient(CreatorHttp(node), creator.Key);
        var accepted = await client.StartFineTuneAsync("kjv-char-mlp", new FineTuneRequest(Sample, "cancelled-harbour"), channel);
        await WaitAsync(provider, accepted.JobId, j => j.Step > 0);

        var cancelled = await client.CancelFineTuneAsync(accepted.JobId);

        Assert.Equal((FineTuneStates.Cancelled, FineTuneRefunds.Released), (cancelled.State, cancelled.Refund));
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
        Assert.DoesNotContain((await provider.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models))!, m => m.Name == "cancelled-harbour");
        // The creator's next voucher starts from nothing again: the fee was never taken.
        var generated = await client.GenerateTextAsync(new GenerateTextRequest("In the beginning", MaxNewTokens: 5), channel);
        Assert.Equal(new AcceptedPayment(channel, 1, Price, Price), generated.Payment);
    }

    [Fact]
    public async Task FineTune_CancelledAfterTheCreatorUsedTheChannel_CreditsTheFeeOnTheNextVouchers()
    {
        await using var node = await StartNodeAsync(steps: 100_000);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var (creator, channel) = await OpenChannelAsync(provider);
        using var response = await provider.PostAsJsonAsync(EdgeRoutes.FineTune("kjv-char-mlp"),
            new FineTuneRequest(Sample, "credited-harbour", Payment: chain.Pay(creator.Key, channel, Fee, 1)));
        var accepted = (await response.Content.ReadFromJsonAsync<FineTuneAccepted>())!;
        await WaitAsync(provider, accepted.JobId, j => j.State == FineTuneStates.Running);
        Assert.Equal(HttpStatusCode.OK, (await GenerateAsync(provider, chain.Pay(creator.Key, channel, Fee + Price, 2))).StatusCode);

        using var cancel = await provider.PostAsync(EdgeRoutes.CancelFineTune(accepted.JobId), null);
        var cancelled = (await cancel.Content.ReadFromJsonAsync<FineTuneJob>())!;

        Assert.Equal((FineTuneStates.Cancelled, FineTuneRefunds.Credited), (cancelled.State, cancelled.Refund));
        // The credit (the fee) pays the next generations: a voucher that adds nothing is accepted, with a higher nonce.
        using var paidByCredit = await GenerateAsync(provider, chain.Pay(creator.Key, channel, Fee + Price, 3));
        Assert.Equal(HttpStatusCode.OK, paidByCredit.StatusCode);
        var state = (await provider.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel)))!;
        Assert.Equal((3UL, Fee + Price), (state.Nonce, state.CumulativeAmount));
    }

    [Fact]
    public async Task PrivateDerivative_RegisteredByItsOwner_ServesTheOwnersChannelAndRefusesAnotherCreators()
    {
        await using var node = await StartNodeAsync(steps: 200);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var nodeAddress = await PaymentChainFixture.NodeAddressAsync(provider);
        var (creator, channel) = await OpenChannelAsync(provider);
        var accepted = await new EdgeNodeClient(CreatorHttp(node), creator.Key).StartFineTuneAsync(
            "kjv-char-mlp", new FineTuneRequest(Sample, "private-harbour"), channel);
        var job = await WaitAsync(provider, accepted.JobId);
        Assert.Equal(FineTuneStates.Succeeded, job.State);
        var derivative = job.DerivativeHash!.Value;

        // The owner registers the derivative under its parent and approves the node; the operator lists it for the node.
        var ownersRegistry = chain.Contracts.RegistryFor(creator.Web3);
        await ownersRegistry.RegisterDerivedModelAsync(derivative, chain.TextModel, "ipfs://private-harbour", Price, 500);
        await chain.Contracts.RegistryFor(chain.Operator.Web3).SetNodeModelAsync(nodeAddress, derivative, true);
        await ownersRegistry.SetNodeApprovalAsync(derivative, nodeAddress, true);
        var stranger = await chain.NewAccountAsync();
        var strangersChannel = await chain.OpenChannelAsync(stranger, nodeAddress, derivative, 10 * Price);
        var ownersChannel = await chain.OpenChannelAsync(creator, nodeAddress, derivative, 10 * Price);

        using var refused = await provider.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("In the beginning", Model: "private-harbour", MaxNewTokens: 5, Payment: chain.Pay(stranger.Key, strangersChannel, Price, 1)));
        using var served = await provider.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("In the beginning", Model: "private-harbour", MaxNewTokens: 5, Payment: chain.Pay(creator.Key, ownersChannel, Price, 1)));

        await AssertProblemAsync(refused, HttpStatusCode.Forbidden, FineTuneProblemTypes.PrivateModel);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync(EdgeRoutes.Channel(strangersChannel))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(derivative, (await served.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Record.Record.ModelHash);
    }

    public void Dispose() => _dir.Dispose();

    private Task<HttpResponseMessage> GenerateAsync(HttpClient http, VoucherPayment payment) =>
        http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Payment: payment));

    private async Task<HostProcess> StartNodeAsync(int steps)
    {
        var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, chain.PaymentSettings(
            ("Payments__SettlementEnabled", "false"),
            ("EdgeNode__FineTuning__Steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("EdgeNode__FineTuning__PriceInGenerations", FeeInGenerations.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await chain.RegisterHostNodeAsync(_dir.Path);
        return node;
    }

    private async Task<(FundedAccount Creator, Bytes32 Channel)> OpenChannelAsync(HttpClient provider)
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, await PaymentChainFixture.NodeAddressAsync(provider), chain.TextModel, 100 * Price);
        return (creator, channel);
    }

    private static HttpClient CreatorHttp(HostProcess node) => new() { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
}
