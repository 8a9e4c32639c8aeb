using System.Globalization;
using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Tests.Payments;
using static MobileAigc.Provenance.EdgeNode.Tests.FineTuning.FineTuneNodes;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>
/// A lineage of three made at the real node against a real anvil: creator A has the text model fine-tuned (paying the
/// fee on a text-model channel) and offers the derivative to everyone; creator B has A's derivative fine-tuned (paying
/// the fee on a channel for it) and keeps the grandchild private; B pays for texts with the grandchild. Settling every
/// channel credits each lineage owner exactly the share <c>PaymentChannels</c> promises, to the wei.
/// </summary>
[Collection(PaymentChainCollection.Name)]
public sealed class DerivativeSettlementTests(PaymentChainFixture chain) : IDisposable
{
    private const int FeeInGenerations = 5;
    private const int Texts = 3;
    private static readonly BigInteger TextPrice = PaymentChainFixture.TextPrice; // royalty 10 %, owned by the fixture's model owner
    private static readonly BigInteger ChildPrice = 2_000;
    private const ushort ChildRoyalty = 500;
    private static readonly BigInteger GrandchildPrice = 3_000;
    private const ushort GrandchildRoyalty = 300;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Settle_GrandchildOfTheTextModel_CreditsEveryLineageOwnerItsShareToTheWei()
    {
        await using var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, chain.PaymentSettings(
            ("Payments__SettlementEnabled", "false"),
            ("EdgeNode__FineTuning__Steps", "40"),
            ("EdgeNode__FineTuning__PriceInGenerations", FeeInGenerations.ToString(CultureInfo.InvariantCulture))));
        await chain.RegisterHostNodeAsync(_dir.Path);
        using var provider = EdgeNodeHost.ProviderClient(node, _dir.Path);
        var nodeAddress = await PaymentChainFixture.NodeAddressAsync(provider);
        var (a, b) = (await chain.NewAccountAsync(), await chain.NewAccountAsync());
        var accounts = new[] { chain.ModelOwner.Address, a.Address, b.Address, chain.Operator.Address };
        var before = await CreditsAsync(accounts);

        // A: the text model's fee on a text-model channel, a public child registered under the text model.
        var aText = await chain.OpenChannelAsync(a, nodeAddress, chain.TextModel, 100 * TextPrice);
        var child = await FineTuneAsync(node, a, chain.TextModel, "lineage-child", ModelVisibilities.Public, aText);
        await RegisterAsync(a, child, chain.TextModel, ChildPrice, ChildRoyalty, nodeAddress);

        // B: the child's fee on a channel for the child, a private grandchild registered under the child, three paid texts.
        var bChild = await chain.OpenChannelAsync(b, nodeAddress, child, 100 * ChildPrice);
        var grandchild = await FineTuneAsync(node, b, child, "lineage-grandchild", ModelVisibilities.Private, bChild);
        await RegisterAsync(b, grandchild, child, GrandchildPrice, GrandchildRoyalty, nodeAddress);
        var bGrandchild = await chain.OpenChannelAsync(b, nodeAddress, grandchild, 100 * GrandchildPrice);
        var client = new EdgeNodeClient(new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }, b.Key);
        for (var i = 0; i < Texts; i++)
        {
            var text = await client.GenerateTextAsync(new GenerateTextRequest("In the beginning", Model: grandchild.ToString(), MaxNewTokens: 5), bGrandchild);
            Assert.Equal(grandchild, text.Record.Record.ModelHash);
        }

        // The provider settles the latest voucher of all three channels in one transaction.
        var settlement = await chain.Contracts.ChannelsFor(chain.Operator.Web3).SettleAsync(
            [await LatestVoucherAsync(provider, aText), await LatestVoucherAsync(provider, bChild), await LatestVoucherAsync(provider, bGrandchild)]);
        Assert.Empty(settlement.Skipped);

        // What each channel pays, split as PaymentChannels promises (royalty floor(x * total rate), then root first by rate):
        var textFee = FeeInGenerations * TextPrice;          // 5,000: 10 % to the text model's owner
        var childFee = FeeInGenerations * ChildPrice;        // 10,000: 10 % + 5 % of it to the lineage
        var grandchildTexts = Texts * GrandchildPrice;       // 9,000: 10 % + 5 % + 3 %
        var expected = new[]
        {
            (textFee / 10) + (childFee * 1_000 / 10_000) + 900, // the text model's owner: 500 + 1,000 + 900
            (childFee * 500 / 10_000) + 450,                    // A, the child's owner: 500 + 450
            new BigInteger(270),                                // B, the grandchild's owner
            (textFee - (textFee / 10)) + (childFee - (childFee * 1_500 / 10_000)) + (grandchildTexts - 1_620), // the provider
        };
        Assert.Equal(grandchildTexts * 1_800 / 10_000, new BigInteger(1_620));
        var after = await CreditsAsync(accounts);
        Assert.Equal(expected, after.Zip(before, (x, y) => x - y).ToArray());
        Assert.Equal(textFee + childFee + grandchildTexts, settlement.TotalPaid);
    }

    public void Dispose() => _dir.Dispose();

    private static async Task<Bytes32> FineTuneAsync(HostProcess node, FundedAccount creator, Bytes32 baseModel, string name, string visibility, Bytes32 channel)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var accepted = await new EdgeNodeClient(http, creator.Key).StartFineTuneAsync(baseModel.ToString(), new FineTuneRequest(Sample, name, Visibility: visibility), channel);
        var job = await WaitAsync(http, accepted.JobId);
        Assert.Equal((FineTuneStates.Succeeded, creator.Address, baseModel), (job.State, job.Owner, job.Parent));
        return job.DerivativeHash!.Value;
    }

    private async Task RegisterAsync(FundedAccount owner, Bytes32 model, Bytes32 parent, BigInteger price, ushort royalty, EvmAddress node)
    {
        var registry = chain.Contracts.RegistryFor(owner.Web3);
        await registry.RegisterDerivedModelAsync(model, parent, $"model://{model}", price, royalty);
        await registry.SetNodeApprovalAsync(model, node, true);
        await chain.Contracts.RegistryFor(chain.Operator.Web3).SetNodeModelAsync(node, model, true);
    }

    private static async Task<SignedPaymentVoucher> LatestVoucherAsync(HttpClient provider, Bytes32 channel)
    {
        var state = (await provider.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel)))!;
        return new SignedPaymentVoucher(new PaymentVoucher(channel, state.CumulativeAmount, state.Nonce), EcdsaSignature.Parse(state.Signature));
    }

    private async Task<BigInteger[]> CreditsAsync(IEnumerable<EvmAddress> accounts)
    {
        var channels = chain.Contracts.ChannelsFor(chain.Operator.Web3);
        return await Task.WhenAll(accounts.Select(account => channels.BalanceOfAsync(EvmAddress.Zero, account)));
    }
}
