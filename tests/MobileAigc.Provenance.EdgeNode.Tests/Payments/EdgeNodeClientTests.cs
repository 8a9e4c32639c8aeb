using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>The creators' client library against the real host process and a real anvil.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class EdgeNodeClientTests(PaymentChainFixture chain) : IAsyncLifetime
{
    private static readonly BigInteger Price = PaymentChainFixture.TextPrice;
    private HttpClient _http = null!;

    // The creators' client presents no provider key: what it learns of a channel, it learns as the creator.
    private HttpClient _creatorHttp = null!;
    private EvmAddress _node;

    public async Task InitializeAsync()
    {
        (_, _http, _node) = await chain.SharedNodeAsync();
        _creatorHttp = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        _creatorHttp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GenerateTextAsync_PaidModel_SignsTheNextCumulativeVoucherEachCall()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var client = new EdgeNodeClient(_creatorHttp, creator.Key);

        var first = await client.GenerateTextAsync(Request(), channel);
        var second = await client.GenerateTextAsync(Request(), channel);

        Assert.Equal(new AcceptedPayment(channel, 1, Price, Price), first.Payment);
        Assert.Equal(new AcceptedPayment(channel, 2, 2 * Price, Price), second.Payment);
        Assert.Equal(new ChannelPosition(2, 2 * Price), client.Position(channel));
    }

    [Fact]
    public async Task GenerateTextAsync_ModelPriceLoweredAfterTheChannelOpened_PaysTheChannelsOpeningPrice()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var registry = chain.Contracts.RegistryFor(chain.ModelOwner.Web3);
        await registry.UpdateTermsAsync(chain.TextModel, Price / 2, 1_000, active: true);
        try
        {
            var client = new EdgeNodeClient(_http, creator.Key);

            // The node may still list the old price for a moment; either way the channel pays its own.
            var first = await client.GenerateTextAsync(Request(), channel);
            var second = await client.GenerateTextAsync(Request(), channel);

            Assert.Equal(new AcceptedPayment(channel, first.Payment!.Nonce, Price, Price), first.Payment);
            Assert.Equal(new AcceptedPayment(channel, first.Payment.Nonce + 1, 2 * Price, Price), second.Payment);
        }
        finally
        {
            await registry.UpdateTermsAsync(chain.TextModel, Price, 1_000, active: true);
        }
    }

    [Fact]
    public async Task GenerateTextAsync_ClientWithoutState_ResumesFromTheNode()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        await new EdgeNodeClient(_creatorHttp, creator.Key).GenerateTextAsync(Request(), channel);
        await new EdgeNodeClient(_creatorHttp, creator.Key).GenerateTextAsync(Request(), channel);

        var resumed = await new EdgeNodeClient(_creatorHttp, creator.Key).GenerateTextAsync(Request(), channel);

        Assert.Equal(new AcceptedPayment(channel, 3, 3 * Price, Price), resumed.Payment);
    }

    [Fact]
    public async Task GenerateTextAsync_TwoClientsOfOneCreator_RecoverFromAStaleNonceByRetrying()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var phone = new EdgeNodeClient(_creatorHttp, creator.Key);
        var laptop = new EdgeNodeClient(_creatorHttp, creator.Key);
        await phone.GenerateTextAsync(Request(), channel);
        await laptop.GenerateTextAsync(Request(), channel);

        var again = await phone.GenerateTextAsync(Request(), channel);

        Assert.Equal(new AcceptedPayment(channel, 3, 3 * Price, Price), again.Payment);
    }

    [Fact]
    public async Task GenerateImageAsync_FreeModel_SendsNoVoucher()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.ImageModel, 10 * Price);
        var client = new EdgeNodeClient(_creatorHttp, creator.Key);

        var image = await client.GenerateImageAsync(new GenerateImageRequest("a harbour", Width: 256, Height: 256), channel);

        Assert.NotEmpty(image.File);
        Assert.Null(image.Payment);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(EdgeRoutes.Channel(channel))).StatusCode);
    }

    [Fact]
    public async Task GenerateTextAsync_ChannelCannotPay_ThrowsWithTheNodesProblem()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, Price + (Price / 2));
        var client = new EdgeNodeClient(_creatorHttp, creator.Key);
        await client.GenerateTextAsync(Request(), channel);

        var refusal = await Assert.ThrowsAsync<EdgeNodeProblemException>(() => client.GenerateTextAsync(Request(), channel));

        Assert.Equal(HttpStatusCode.PaymentRequired, refusal.StatusCode);
        Assert.Equal(PaymentProblemTypes.VoucherExceedsDeposit, refusal.Problem.Type);
        Assert.Equal(1UL, (await _http.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel)))!.Nonce);
    }

    [Fact]
    public async Task GenerateTextAsync_PaidModelWithoutChannel_ThrowsPaymentRequired()
    {
        var client = new EdgeNodeClient(_creatorHttp, (await chain.NewAccountAsync()).Key);

        var refusal = await Assert.ThrowsAsync<EdgeNodeProblemException>(() => client.GenerateTextAsync(Request(), channelId: null));

        Assert.Equal(PaymentProblemTypes.PaymentRequired, refusal.Problem.Type);
    }

    private static GenerateTextRequest Request() => new("In the beginning", Seed: 2, MaxNewTokens: 5);
}
