using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>kill -9 of the node loses no voucher whose paid content it returned.</summary>
[Collection(PaymentChainCollection.Name)]
public sealed class PaymentCrashTests(PaymentChainFixture chain) : IDisposable
{
    private static readonly BigInteger Price = PaymentChainFixture.TextPrice;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task KillMinusNine_UnderPaidLoad_EveryAnsweredVoucherIsStillTheNodesAfterRestart()
    {
        var settings = chain.PaymentSettings(("Payments__SettlementEnabled", "false"));
        var answered = new ConcurrentDictionary<Bytes32, (ulong Nonce, BigInteger Amount, int Count)>();
        await using (var node = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, settings))
        {
            using var http = EdgeNodeHost.ProviderClient(node, _dir.Path, TimeSpan.FromSeconds(30));
            var provider = await chain.RegisterHostNodeAsync(_dir.Path);
            using var stop = new CancellationTokenSource();
            var clients = new List<Task>();
            for (var client = 0; client < 4; client++)
            {
                var creator = await chain.NewAccountAsync();
                var channel = await chain.OpenChannelAsync(creator, provider, chain.TextModel, 1_000_000 * Price);
                clients.Add(Task.Run(async () =>
                {
                    for (ulong nonce = 1; !stop.IsCancellationRequested; nonce++)
                    {
                        try
                        {
                            var payment = chain.Pay(creator.Key, channel, nonce * Price, nonce);
                            var response = await http.PostAsJsonAsync(EdgeRoutes.GenerateText,
                                new GenerateTextRequest("In the beginning", MaxNewTokens: 5, Payment: payment), stop.Token);
                            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                            var result = await response.Content.ReadFromJsonAsync<GenerateTextResponse>(stop.Token);
                            answered[channel] = (result!.Payment!.Nonce, result.Payment.CumulativeAmount, (int)nonce);
                        }
                        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
                        {
                            return; // the node died under us, or we stopped
                        }
                    }
                }));
            }

            await EdgeNodeHostTests.WaitUntilAsync(() => answered.Values.Sum(a => a.Count) >= 20);
            node.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(clients);
        }

        await using var restarted = await EdgeNodeHost.StartAsync(_dir.Path, ledger: null, settings);
        using var after = EdgeNodeHost.ProviderClient(restarted, _dir.Path);
        foreach (var (channel, (nonce, amount, count)) in answered)
        {
            var state = await after.GetFromJsonAsync<ChannelVoucherState>(EdgeRoutes.Channel(channel));
            // The node may have stored a voucher whose answer the kill cut off: never less than what was answered.
            Assert.True(state!.Nonce >= nonce && state.CumulativeAmount >= amount && state.Generations >= count,
                $"channel {channel}: answered nonce {nonce} / {amount} / {count}, stored {state.Nonce} / {state.CumulativeAmount} / {state.Generations}");
        }
    }

    public void Dispose() => _dir.Dispose();
}
