using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.Extensions.Logging.Abstractions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>The settlement worker on a real anvil: in the host process, and in process for the crash windows.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class SettlementTests(PaymentChainFixture chain) : IDisposable
{
    private static readonly BigInteger Price = PaymentChainFixture.TextPrice;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Host_ChannelsPastTheThreshold_AreSettledInOneTransactionAndNotAgainAfterRestart()
    {
        var quiet = chain.PaymentSettings(("Payments__SettlementThreshold", "1000000000000000000000"), ("Payments__SettlementPollInterval", "00:00:00.200"));
        var eager = chain.PaymentSettings(("Payments__SettlementThreshold", Price.ToString()), ("Payments__SettlementPollInterval", "00:00:00.200"));
        var channels = new List<Bytes32>();
        EvmAddress provider;
        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, quiet))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path);
            provider = await chain.RegisterHostNodeAsync(_dir.Path);
            await chain.Anvil.SetBalanceAsync(provider, BigInteger.Pow(10, 19));
            for (var i = 0; i < 3; i++)
            {
                var creator = await chain.NewAccountAsync();
                var channel = await chain.OpenChannelAsync(creator, provider, chain.TextModel, 10 * Price);
                var client = new EdgeNodeClient(http, creator.Key);
                await client.GenerateTextAsync(new GenerateTextRequest("In the beginning", MaxNewTokens: 5), channel);
                await client.GenerateTextAsync(new GenerateTextRequest("In the beginning", MaxNewTokens: 5), channel);
                channels.Add(channel);
            }

            Assert.Equal(0, await TransactionCountAsync(provider));
        }

        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, eager))
        {
            await WaitUntilAsync(async () => (await Task.WhenAll(channels.Select(chain.ChannelAsync))).All(c => c.Paid == 2 * Price && c.LastNonce == 2));
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path);
            await WaitUntilAsync(async () => (await http.GetFromJsonAsync<EarningsReport>(EdgeRoutes.Earnings))!.Channels.All(c => c.Pending.IsZero));
            Assert.Equal(1, await TransactionCountAsync(provider));
        }

        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, eager))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path);
            var earnings = (await http.GetFromJsonAsync<EarningsReport>(EdgeRoutes.Earnings))!;
            await Task.Delay(TimeSpan.FromSeconds(2)); // ten poll intervals

            Assert.All(earnings.Channels, c => Assert.Equal((2 * Price, BigInteger.Zero), (c.Settled, c.Pending)));
            Assert.Equal(1, await TransactionCountAsync(provider));
        }
    }

    [Fact]
    public async Task SettleDueAsync_SettlementStoredButNeverBroadcast_BroadcastsTheSameTransactionOnce()
    {
        var (payments, worker, provider, voucher) = await AcceptOneVoucherAsync();
        var raw = await SignSettlementAsync(provider, voucher);
        payments.Settlements.Begin(Hash(raw), raw, [voucher.Voucher], DateTimeOffset.UtcNow);

        var settled = await worker.SettleDueAsync(CancellationToken.None);

        Assert.Equal(1, settled);
        Assert.Equal("mined", payments.Settlements.All().Single().State);
        Assert.Equal(Hash(raw), payments.Settlements.All().Single().TransactionHash);
        Assert.Equal(1, await TransactionCountAsync(provider.Address));
        Assert.Equal(voucher.Voucher.Nonce, (await chain.ChannelAsync(voucher.Voucher.ChannelId)).LastNonce);
        payments.Dispose();
    }

    [Fact]
    public async Task SettleDueAsync_SettlementMinedButOutcomeNotRecorded_RecordsItWithoutSendingAgain()
    {
        var (payments, worker, provider, voucher) = await AcceptOneVoucherAsync();
        var raw = await SignSettlementAsync(provider, voucher);
        await provider.Web3.Eth.Transactions.SendRawTransaction.SendRequestAsync(raw);
        payments.Settlements.Begin(Hash(raw), raw, [voucher.Voucher], DateTimeOffset.UtcNow);

        await worker.SettleDueAsync(CancellationToken.None);
        await worker.SettleDueAsync(CancellationToken.None);

        Assert.Equal("mined", payments.Settlements.All().Single().State);
        Assert.Equal(1, await TransactionCountAsync(provider.Address));
        Assert.Equal(voucher.Voucher.CumulativeAmount, payments.Vouchers.Find(voucher.Voucher.ChannelId)!.SettledAmount);
        payments.Dispose();
    }

    [Fact]
    public async Task SettleDueAsync_VoucherAlreadySettledOnChain_IsRecordedAndNotSubmitted()
    {
        var (payments, worker, provider, voucher) = await AcceptOneVoucherAsync();
        await chain.Contracts.ChannelsFor(provider.Web3).SettleAsync([new SignedPaymentVoucher(voucher.Voucher, voucher.Signature)]);

        var settled = await worker.SettleDueAsync(CancellationToken.None);

        Assert.Equal(0, settled);
        Assert.Empty(payments.Settlements.All());
        Assert.Equal(1, await TransactionCountAsync(provider.Address));
        Assert.Equal(voucher.Voucher.Nonce, payments.Vouchers.Find(voucher.Voucher.ChannelId)!.SettledNonce);
        payments.Dispose();
    }

    [Fact]
    public async Task SettleDueAsync_VoucherTheContractSkips_IsRecordedWithItsReasonAndNotSubmittedAgain()
    {
        var (payments, worker, provider, good) = await AcceptOneVoucherAsync();
        // A second channel whose stored voucher the contract will refuse: its signature is not the creator's.
        var creator = await chain.NewAccountAsync();
        await chain.RegisterNodeAsync(provider.Key);
        var channelId = await chain.OpenChannelAsync(creator, provider.Address, chain.TextModel, 10 * Price);
        var reader = new PaymentChainReader(chain.Contracts.ChannelsFor(provider.Web3), chain.Contracts.RegistryFor(provider.Web3), new PaymentOptions(), TimeProvider.System);
        var forged = new PaymentVoucher(channelId, 2 * Price, 2);
        var signature = PaymentVoucherTypedData.Sign(forged, chain.ChannelsDomain, Nethereum.Signer.EthECKey.GenerateKey());
        Assert.Null(payments.Vouchers.TryAccept((await reader.GetChannelAsync(channelId))!, forged, signature, Price, DateTimeOffset.UtcNow));

        var settled = await worker.SettleDueAsync(CancellationToken.None);
        var again = await worker.SettleDueAsync(CancellationToken.None);

        Assert.Equal((1, 0), (settled, again));
        Assert.Equal(1, await TransactionCountAsync(provider.Address));
        Assert.Equal(good.Voucher.Nonce, (await chain.ChannelAsync(good.Voucher.ChannelId)).LastNonce);
        Assert.Equal(0UL, (await chain.ChannelAsync(channelId)).LastNonce);
        var skipped = payments.Settlements.Skipped().Single();
        Assert.Equal((channelId, 2UL, nameof(VoucherSkipReason.InvalidSigner)), (skipped.ChannelId, skipped.Nonce, skipped.Reason));
        Assert.Equal(0UL, payments.Vouchers.Find(channelId)!.SettledNonce);
        payments.Dispose();
    }

    public void Dispose() => _dir.Dispose();

    // A provider account, a payments database holding one accepted voucher of a fresh channel to it, and a worker that settles at any value.
    private async Task<(ScratchPayments Payments, SettlementWorker Worker, FundedAccount Provider, (PaymentVoucher Voucher, EcdsaSignature Signature) Voucher)>
        AcceptOneVoucherAsync()
    {
        var provider = await chain.NewAccountAsync();
        var creator = await chain.NewAccountAsync();
        await chain.RegisterNodeAsync(provider.Key);
        var channelId = await chain.OpenChannelAsync(creator, provider.Address, chain.TextModel, 10 * Price);
        var options = new PaymentOptions { SettlementThreshold = "1", SettlementReceiptTimeout = TimeSpan.FromSeconds(10) };
        var channels = chain.Contracts.ChannelsFor(provider.Web3);
        var reader = new PaymentChainReader(channels, chain.Contracts.RegistryFor(provider.Web3), options, TimeProvider.System);
        var payments = new ScratchPayments(provider.Address);
        var voucher = new PaymentVoucher(channelId, 2 * Price, 2);
        var signature = PaymentVoucherTypedData.Sign(voucher, channels.Domain, creator.Key);
        Assert.Null(payments.Vouchers.TryAccept((await reader.GetChannelAsync(channelId))!, voucher, signature, Price, DateTimeOffset.UtcNow));
        var worker = new SettlementWorker(payments.Settlements, reader, provider.Web3, options, TimeProvider.System, NullLogger<SettlementWorker>.Instance);
        return (payments, worker, provider, (voucher, signature));
    }

    private async Task<string> SignSettlementAsync(FundedAccount provider, (PaymentVoucher Voucher, EcdsaSignature Signature) voucher)
    {
        var raw = await provider.Web3.Eth.GetContractTransactionHandler<SettleFunction>().SignTransactionAsync(
            chain.Contracts.PaymentChannels.ToString(),
            new SettleFunction
            {
                Vouchers = [new SignedPaymentVoucher(voucher.Voucher, voucher.Signature).ToContractStruct()],
            });
        return raw.StartsWith("0x", StringComparison.Ordinal) ? raw : "0x" + raw;
    }

    private static string Hash(string raw) => "0x" + Sha3Keccack.Current.CalculateHashFromHex(raw);

    private async Task<long> TransactionCountAsync(EvmAddress account) =>
        (long)(await chain.ModelOwner.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(account.ToString(), BlockParameter.CreatePending())).Value;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(60), "condition not met within 60 s");
            await Task.Delay(200);
        }
    }
}
