using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Microsoft.AspNetCore.Mvc;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>
/// A real node configured to accept one ERC-20 at its own price and nothing else: channels in that
/// token pay that price, channels in any other token (the native currency, a token the creator
/// minted) are refused with their own problem type before anything is generated.
/// </summary>
[Collection(PaymentChainCollection.Name)]
public sealed class AcceptedTokenTests(PaymentChainFixture chain) : IAsyncLifetime
{
    private static readonly BigInteger TokenPrice = 7;
    private readonly TempDirectory _dir = new();
    private HostProcess _host = null!;
    private HttpClient _http = null!;
    private EvmAddress _node;
    private EvmAddress _token;

    public async Task InitializeAsync()
    {
        _token = await TestToken.DeployAsync(chain.Operator.Web3);
        _host = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, chain.PaymentSettings(
            ("Payments__SettlementEnabled", "false"),
            ("Payments__AcceptedTokens__0__Token", _token.ToString()),
            ("Payments__AcceptedTokens__0__Price", TokenPrice.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        _node = await chain.RegisterHostNodeAsync(_dir.Path);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task GenerateText_AcceptedToken_PaysTheConfiguredPriceInIt()
    {
        var creator = await chain.NewAccountAsync();
        await TestToken.MintAsync(creator.Web3, _token, creator.Address, 1_000);
        var channel = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 100, token: _token);

        var underpaid = await GenerateTextAsync(chain.Pay(creator.Key, channel, TokenPrice - 1, 1));
        var paid = await GenerateTextAsync(chain.Pay(creator.Key, channel, TokenPrice, 2));

        await AssertProblemAsync(underpaid, HttpStatusCode.PaymentRequired, PaymentProblemTypes.VoucherUnderpaid);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(TokenPrice, (await paid.Content.ReadFromJsonAsync<GenerateTextResponse>())!.Payment!.Price);
        var terms = await _http.GetFromJsonAsync<PaymentTerms>(EdgeRoutes.Payments);
        Assert.Equal([new AcceptedToken(_token, TokenPrice)], terms!.AcceptedTokens);
    }

    [Fact]
    public async Task GenerateText_NativeCurrencyOrACreatorMintedToken_IsRefusedAndGeneratesNothing()
    {
        var creator = await chain.NewAccountAsync();
        var minted = await TestToken.DeployAsync(creator.Web3);
        await TestToken.MintAsync(creator.Web3, minted, creator.Address, BigInteger.Pow(10, 30));
        var eth = await chain.OpenChannelAsync(creator, _node, chain.TextModel, 10 * PaymentChainFixture.TextPrice);
        var own = await chain.OpenChannelAsync(creator, _node, chain.TextModel, BigInteger.Pow(10, 30), token: minted);
        var records = await RecordCountAsync();

        var withEth = await GenerateTextAsync(chain.Pay(creator.Key, eth, PaymentChainFixture.TextPrice, 1));
        var withOwn = await GenerateTextAsync(chain.Pay(creator.Key, own, BigInteger.Pow(10, 29), 1));

        var problem = await AssertProblemAsync(withEth, HttpStatusCode.Conflict, PaymentProblemTypes.VoucherTokenNotAccepted);
        Assert.Contains(_token.ToString(), problem.Detail, StringComparison.OrdinalIgnoreCase);
        await AssertProblemAsync(withOwn, HttpStatusCode.Conflict, PaymentProblemTypes.VoucherTokenNotAccepted);
        Assert.Equal(records, await RecordCountAsync());
        using var provider = EdgeNodeHost.ProviderClient(_host, _dir.Path);
        Assert.Equal(HttpStatusCode.NotFound, (await provider.GetAsync(EdgeRoutes.Channel(own))).StatusCode);
    }

    private Task<HttpResponseMessage> GenerateTextAsync(VoucherPayment payment) =>
        _http.PostAsJsonAsync(EdgeRoutes.GenerateText, new GenerateTextRequest("In the beginning", Seed: 1, MaxNewTokens: 5, Payment: payment));

    private async Task<long> RecordCountAsync()
    {
        var status = await _http.GetFromJsonAsync<NodeStatus>(EdgeRoutes.Node);
        return status!.PendingRecords + status.DeliveredRecords + status.HeldRecords;
    }

    private static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal(type, problem.Type);
        return problem;
    }
}
