using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Microsoft.AspNetCore.Mvc;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>Paid generation at the real host process against a real anvil: acceptance, every refusal, concurrency.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class PaidGenerationTests(PaymentChainFixture chain) : IAsyncLifetime
{
    private static readonly BigInteger Price = PaymentChainFixture.TextPrice;
    private HttpClient _http = null!;
    private EvmAddress _node;

    public async Task InitializeAsync() => (_, _http, _node) = await chain.SharedNodeAsync();

    public Task DisposeAsync()
    {
        _http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Models_PaymentsOn_ListEachModelsOnChainPrice()
    {
        var models = await _http.GetFromJsonAsync<List<ServedModelInfo>>(EdgeRoutes.Models);

        Assert.Equal(Price, models!.Single(m => m.ModelHash == chain.TextModel).PricePerGeneration);
        Assert.Equal(BigInteger.Zero, models!.Single(m => m.ModelHash == chain.ImageModel).PricePerGeneration);
    }

    [Fact]
    public async Task GenerateText_NextVoucher_ServesAndStoresItAsTheChannelsLatest()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);

        var first = await GenerateTextAsync(chain.Pay(creator.Key, channel, Price, 1));
        var second = await GenerateTextAsync(chain.Pay(creator.Key, channel, 3 * Price, 5));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var paid = (await second.Content.ReadFromJsonAsync<GenerateTextResponse>())!;
        Assert.NotEmpty(paid.Text);
        Assert.Equal(new AcceptedPayment(channel, 5, 3 * Price, Price), paid.Payment);
        var state = await _http.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel));
        Assert.Equal((5UL, 3 * Price, 2L, 0UL), (state!.Nonce, state.CumulativeAmount, state.Generations, state.SettledNonce));
    }

    [Fact]
    public async Task GenerateText_NoVoucher_Is402PaymentRequired()
    {
        var records = await RecordCountAsync();

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", MaxNewTokens: 5));

        await AssertProblemAsync(response, HttpStatusCode.PaymentRequired, PaymentProblemTypes.PaymentRequired);
        Assert.Equal(records, await RecordCountAsync());
    }

    [Theory]
    [InlineData("forged", HttpStatusCode.Forbidden, PaymentProblemTypes.VoucherInvalidSignature)]
    [InlineData("cross-chain", HttpStatusCode.Forbidden, PaymentProblemTypes.VoucherInvalidSignature)]
    [InlineData("malformed", HttpStatusCode.BadRequest, PaymentProblemTypes.VoucherMalformed)]
    [InlineData("replayed", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherNonceStale)]
    [InlineData("reordered", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherNonceStale)]
    [InlineData("underpaid", HttpStatusCode.PaymentRequired, PaymentProblemTypes.VoucherUnderpaid)]
    [InlineData("over-deposit", HttpStatusCode.PaymentRequired, PaymentProblemTypes.VoucherExceedsDeposit)]
    [InlineData("wrong-model", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherWrongModel)]
    [InlineData("other-node-of-the-provider", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherWrongNode)]
    [InlineData("creator-minted-token", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherTokenNotAccepted)]
    [InlineData("expired", HttpStatusCode.Conflict, PaymentProblemTypes.VoucherChannelExpired)]
    [InlineData("unknown-channel", HttpStatusCode.NotFound, PaymentProblemTypes.VoucherChannelUnknown)]
    public async Task GenerateText_BadVoucher_IsRefusedWithItsTypeAndGeneratesNothing(string kind, HttpStatusCode status, string type)
    {
        var creator = await chain.NewAccountAsync();
        var deposit = kind == "over-deposit" ? Price + (Price / 2) : 10 * Price;
        var (model, node, lifetime) = kind switch
        {
            "wrong-model" => (chain.ImageModel, _node, TimeSpan.FromDays(1)),
            // Another node of the same operator: the channel pays the same provider, but its increments buy generations there only.
            "other-node-of-the-provider" => (chain.TextModel, await chain.RegisterNodeAsync(EthECKey.GenerateKey()), TimeSpan.FromDays(1)),
            "expired" => (chain.TextModel, _node, TimeSpan.FromMinutes(2)),
            _ => (chain.TextModel, _node, TimeSpan.FromDays(1)),
        };
        var token = EvmAddress.Zero;
        if (kind == "creator-minted-token")
        {
            // A token anyone can mint without limit: the creator makes itself rich in it and pays with it.
            token = await TestToken.DeployAsync(creator.Web3);
            await TestToken.MintAsync(creator.Web3, token, creator.Address, 1_000_000 * Price);
        }

        var channel = await chain.OpenChannelAsync(creator, node, model, deposit, lifetime, token);
        if (kind is "replayed" or "reordered")
        {
            Assert.Equal(HttpStatusCode.OK, (await GenerateTextAsync(chain.Pay(creator.Key, channel, 2 * Price, 2))).StatusCode);
        }

        var stateBefore = await ChannelStateAsync(channel);
        var records = await RecordCountAsync();
        var payment = kind switch
        {
            "forged" => chain.Pay(EthECKey.GenerateKey(), channel, Price, 1),
            "cross-chain" => chain.Pay(creator.Key, channel, Price, 1, chain.ChannelsDomain with { ChainId = 1 }),
            "malformed" => chain.Pay(creator.Key, channel, Price, 1) with { Signature = "0x1234" },
            "replayed" => chain.Pay(creator.Key, channel, 2 * Price, 2),
            "reordered" => chain.Pay(creator.Key, channel, Price, 1),
            "underpaid" => chain.Pay(creator.Key, channel, Price - 1, 1),
            "over-deposit" => chain.Pay(creator.Key, channel, 2 * Price, 1),
            "unknown-channel" => chain.Pay(creator.Key, PaymentChainFixture.RandomChannelId(), Price, 1),
            _ => chain.Pay(creator.Key, channel, Price, 1),
        };

        var response = await GenerateTextAsync(payment);

        var problem = await AssertProblemAsync(response, status, type);
        Assert.Equal(records, await RecordCountAsync());
        Assert.Equal(stateBefore, await ChannelStateAsync(channel));
        if (kind == "cross-chain")
        {
            Assert.Contains("another chain or contract", problem.Detail, StringComparison.Ordinal);
        }

        if (kind == "underpaid")
        {
            Assert.Equal(Price.ToString(), ((JsonElement)problem.Extensions["requiredAmount"]!).GetString());
        }
    }

    [Fact]
    public async Task GenerateText_PayerNamedAsCreator_RecordNamesThemWithTheVoucherAsProof()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var payment = chain.Pay(creator.Key, channel, Price, 1);

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Creator: new CreatorIdentity(creator.Address), Payment: payment));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var signed = (await response.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Record;
        Assert.Equal(creator.Address, signed.Record.Creator);
        Assert.Equal((channel, 1UL), (signed.CreatorProof!.Voucher!.ChannelId, signed.CreatorProof.Voucher.Nonce));
    }

    [Fact]
    public async Task GenerateText_SomeoneElseNamedAsCreatorOfAPaidRequest_Is403AndLeavesTheVoucherUnused()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var victim = EvmAddress.Parse(Nethereum.Signer.EthECKey.GenerateKey().GetPublicAddress());

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Creator: new CreatorIdentity(victim), Payment: chain.Pay(creator.Key, channel, Price, 1)));

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, GenerationProblemTypes.InvalidCreatorProof);
        Assert.Null(await ChannelStateAsync(channel));
        Assert.Equal(HttpStatusCode.OK, (await GenerateTextAsync(chain.Pay(creator.Key, channel, Price, 1))).StatusCode);
    }

    [Fact]
    public async Task GenerateText_InvalidParameterWithVoucher_Is400AndLeavesTheVoucherUnused()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);

        var response = await _http.PostAsJsonAsync(EdgeRoutes.GenerateText,
            new GenerateTextRequest("In the beginning", MaxNewTokens: 0, Payment: chain.Pay(creator.Key, channel, Price, 1)));

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, GenerationProblemTypes.InvalidParameter);
        Assert.Null(await ChannelStateAsync(channel));
        Assert.Equal(HttpStatusCode.OK, (await GenerateTextAsync(chain.Pay(creator.Key, channel, Price, 1))).StatusCode);
    }

    [Fact]
    public async Task GenerateImage_FreeModel_ServesWithoutVoucherAndIgnoresOneSentAnyway()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.ImageModel, 10 * Price);

        var free = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage, new GenerateImageRequest("a harbour", Width: 256, Height: 256));
        var withVoucher = await _http.PostAsJsonAsync(EdgeRoutes.GenerateImage,
            new GenerateImageRequest("a harbour", Width: 256, Height: 256, Payment: chain.Pay(creator.Key, channel, Price, 1)));

        Assert.Equal(HttpStatusCode.OK, free.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withVoucher.StatusCode);
        Assert.Null((await withVoucher.Content.ReadFromJsonAsync<GenerateImageResponse>())!.Payment);
        Assert.Null(await ChannelStateAsync(channel));
    }

    [Fact]
    public async Task GenerateText_ConcurrentRequestsOnOneChannel_AcceptsEachAmountOnce()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 100 * Price);
        var records = await RecordCountAsync();

        // The same voucher eight times at once, then eight vouchers with new nonces but one amount.
        var same = chain.Pay(creator.Key, channel, Price, 1);
        var sameAnswers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => GenerateTextAsync(same)));
        var nonces = Enumerable.Range(2, 8).Select(n => chain.Pay(creator.Key, channel, 2 * Price, (ulong)n)).ToList();
        var nonceAnswers = await Task.WhenAll(nonces.Select(GenerateTextAsync));

        Assert.Equal(1, sameAnswers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(1, nonceAnswers.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(sameAnswers.Concat(nonceAnswers).Where(r => r.StatusCode != HttpStatusCode.OK),
            r => Assert.True(r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PaymentRequired, r.StatusCode.ToString()));
        var state = await ChannelStateAsync(channel);
        Assert.Equal((2L, 2 * Price), (state!.Generations, state.CumulativeAmount));
        Assert.Equal(records + 2, await RecordCountAsync());
    }

    [Fact]
    public async Task Earnings_AfterPaidGenerations_ListTheChannelAndItsModelAsPending()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        await GenerateTextAsync(chain.Pay(creator.Key, channel, Price, 1));
        await GenerateTextAsync(chain.Pay(creator.Key, channel, 2 * Price, 2));

        var earnings = await _http.GetFromJsonAsync<EarningsReport>(EdgeRoutes.Earnings);

        Assert.Equal(_node, earnings!.Provider);
        var row = earnings.Channels.Single(c => c.ChannelId == channel);
        Assert.Equal((chain.TextModel, creator.Address, 2L, 2 * Price, BigInteger.Zero, 2 * Price),
            (row.ModelHash, row.Creator, row.Generations, row.Accepted, row.Settled, row.Pending));
        var model = earnings.Models.Single(m => m.ModelHash == chain.TextModel && m.Token.IsZero);
        Assert.Equal(earnings.Channels.Where(c => c.ModelHash == chain.TextModel).Aggregate(BigInteger.Zero, (s, c) => s + c.Accepted), model.Accepted);
    }

    [Fact]
    public async Task GenerateText_OwnerRaisesThePriceUnderAnOpenChannel_TheChannelStillPaysItsOpeningPrice()
    {
        var creator = await chain.NewAccountAsync();
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * Price);
        var registry = chain.Contracts.RegistryFor(chain.ModelOwner.Web3);
        await registry.UpdateTermsAsync(chain.TextModel, 5 * Price, 2_000, active: true);
        try
        {
            var response = await GenerateTextAsync(chain.Pay(creator.Key, channel, Price, 1));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Price, (await response.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Payment!.Price);
            var onChain = await chain.ChannelAsync(channel);
            Assert.Equal(Price, onChain.PricePerGeneration);
            Assert.Equal([1_000], onChain.RoyaltyBps);
        }
        finally
        {
            await registry.UpdateTermsAsync(chain.TextModel, Price, 1_000, active: true);
        }
    }

    [Fact]
    public async Task Payments_ListTheNodeToBindChannelsToAndTheNativeCurrencyAtTheChannelsPrice()
    {
        var terms = await _http.GetFromJsonAsync<PaymentTerms>(EdgeRoutes.Payments);

        Assert.Equal(_node, terms!.Node);
        Assert.Equal([new AcceptedToken(EvmAddress.Zero, null)], terms.AcceptedTokens);
    }

    [Fact]
    public async Task Channel_NeverPaidHere_Is404ChannelNotSeen()
    {
        var response = await _http.GetAsync(EdgeRoutes.Channel(PaymentChainFixture.RandomChannelId()));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, PaymentProblemTypes.ChannelNotSeen);
    }

    private Task<HttpResponseMessage> GenerateTextAsync(VoucherPayment payment) =>
        _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", Seed: 1, MaxNewTokens: 5, Payment: payment));

    private async Task<ChannelVoucherState?> ChannelStateAsync(Bytes32 channel)
    {
        var response = await _http.GetAsync(EdgeRoutes.Channel(channel));
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<ChannelVoucherState>();
    }

    private async Task<long> RecordCountAsync()
    {
        var status = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        return status!.PendingRecords + status.DeliveredRecords + status.HeldRecords;
    }

    private static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<ProblemDetails>(body, JsonSerializerOptions.Web)!;
        Assert.Equal(type, problem.Type);
        return problem;
    }
}
