using System.CommandLine;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Marketplace;

/// <summary>
/// <c>provenance channel open|topup|close|status</c>: a creator's payment channels, each bound to
/// one edge node and one model (paying the node's operator). Vouchers are signed per request by the client library; these
/// commands move the money on chain and show what is spent and left.
/// </summary>
internal static class ChannelCommand
{
    public static Command Create()
    {
        var account = new ChainAccountOptions();
        var channelsOption = new Option<string>("--channels") { Description = "The PaymentChannels contract address (or give --deployment)." };
        var channelOption = new Option<string>("--channel") { Description = "The channel id (0x, 64 hex digits).", Required = true };
        var amount = new Option<string>("--amount") { Description = "How much to deposit, in the token's smallest unit (wei for ETH).", Required = true };

        var nodeAddress = new Option<string>("--node-address")
        {
            Description = "The edge node's address (GET v1/payments: node) the channel pays generations at; it must serve the model. Its operator is the provider.",
            Required = true,
        };
        var modelOption = new Option<string>("--model") { Description = "The model the channel pays for: 0x hash or .onnx file.", Required = true };
        var token = new Option<string?>("--token") { Description = "An ERC-20 token address. Default: ETH." };
        var expiresIn = new Option<TimeSpan>("--expires-in") { Description = "How long the channel stays open (d.hh:mm:ss).", DefaultValueFactory = _ => TimeSpan.FromDays(7) };
        var open = new Command("open", "Open a channel for one model at one node, under the model's terms now, and deposit into it.")
        {
            channelsOption, nodeAddress, modelOption, token, amount, expiresIn,
        };
        account.AddTo(open);
        open.SetAction((parse, cancellationToken) => CliErrors.RunAsync("channel open", async () =>
        {
            var (channels, _) = await ClientAsync(account, parse, channelsOption, cancellationToken);
            if (parse.GetValue(expiresIn) <= TimeSpan.Zero)
            {
                throw new ArgumentException($"--expires-in must be positive; got {parse.GetValue(expiresIn)}.");
            }

            var tokenAddress = parse.GetValue(token) is { } tokenText ? MarketplaceArguments.Address("--token", tokenText) : EvmAddress.Zero;
            var deposit = MarketplaceArguments.Amount("--amount", parse.GetValue(amount)!);
            var model = await MarketplaceArguments.ModelAsync("--model", parse.GetValue(modelOption)!, cancellationToken);
            var expiresAt = TimeProvider.System.GetUtcNow() + parse.GetValue(expiresIn);
            var (channelId, transaction) = await channels.OpenChannelAsync(
                MarketplaceArguments.Address("--node-address", parse.GetValue(nodeAddress)!), model, tokenAddress, deposit, expiresAt, cancellationToken);
            var opened = await channels.GetChannelAsync(channelId, cancellationToken);
            Console.WriteLine($"opened channel {channelId}: {deposit} {ModelCommand.TokenName(tokenAddress)} for model {model} at node {opened.Node} (provider {opened.Provider}), "
                + $"fixed terms: price {opened.PricePerGeneration}, royalties {string.Join("/", opened.RoyaltyBps)} bps (root first); expires {expiresAt:u} (transaction {transaction.Hash})");
            return 0;
        }));

        var topUp = new Command("topup", "Add to a channel's deposit (anyone may fund it).") { channelsOption, channelOption, amount };
        account.AddTo(topUp);
        topUp.SetAction((parse, cancellationToken) => CliErrors.RunAsync("channel topup", async () =>
        {
            var (channels, _) = await ClientAsync(account, parse, channelsOption, cancellationToken);
            var channelId = MarketplaceArguments.Hash("--channel", parse.GetValue(channelOption)!);
            var added = MarketplaceArguments.Amount("--amount", parse.GetValue(amount)!);
            var transaction = await channels.TopUpAsync(channelId, added, cancellationToken);
            var after = await channels.GetChannelAsync(channelId, cancellationToken);
            Console.WriteLine($"channel {channelId}: deposit {after.Deposit} after adding {added} (transaction {transaction.Hash})");
            return 0;
        }));

        var close = new Command("close", "After its expiry, close a channel and take back what was not settled (creator only).") { channelsOption, channelOption };
        account.AddTo(close);
        close.SetAction((parse, cancellationToken) => CliErrors.RunAsync("channel close", async () =>
        {
            var (channels, _) = await ClientAsync(account, parse, channelsOption, cancellationToken);
            var channelId = MarketplaceArguments.Hash("--channel", parse.GetValue(channelOption)!);
            var before = await channels.GetChannelAsync(channelId, cancellationToken);
            var transaction = await channels.CloseExpiredAsync(channelId, cancellationToken);
            Console.WriteLine($"closed channel {channelId}: refunded {before.Remaining} (transaction {transaction.Hash})");
            return 0;
        }));

        var node = new Option<string?>("--node") { Description = "An edge node's base URL: also show what it has accepted on the channel but not settled yet (the node's provider, with --provider-key-file)." };
        var keyFile = ProviderKeyOption.Create(required: false);
        var status = new Command("status", "A channel's deposit, what is settled, what the node has accepted and what is left.") { channelsOption, channelOption, account.Rpc, account.Deployment, node, keyFile };
        status.SetAction((parse, cancellationToken) => CliErrors.RunAsync("channel status", async () =>
        {
            var web3 = new Nethereum.Web3.Web3(parse.GetValue(account.Rpc));
            var chainId = (await web3.Eth.ChainId.SendRequestAsync()).Value;
            var channels = new PaymentChannelsClient(web3, await account.ContractAsync(parse, channelsOption, c => c.PaymentChannels, cancellationToken), chainId);
            var channelId = MarketplaceArguments.Hash("--channel", parse.GetValue(channelOption)!);
            var state = await channels.GetChannelAsync(channelId, cancellationToken);
            var token = ModelCommand.TokenName(state.Token);
            var expired = state.ExpiresAt <= TimeProvider.System.GetUtcNow();
            Console.WriteLine($"channel {channelId}: creator {state.Creator}, node {state.Node}, provider {state.Provider}, model {state.ModelHash}");
            Console.WriteLine($"  terms fixed at opening: price {state.PricePerGeneration} {token}, royalties {string.Join("/", state.RoyaltyBps)} bps (root first)");
            Console.WriteLine($"  deposit {state.Deposit} {token}, settled {state.Paid} (nonce {state.LastNonce}), left {state.Remaining}");
            Console.WriteLine($"  {(state.Closed ? "closed" : expired ? "expired: close it to take back what is left" : "open")}, expires {state.ExpiresAt:u}");
            if (parse.GetValue(node) is { } nodeUrl)
            {
                var key = parse.GetValue(keyFile) ?? throw new ArgumentException("--node reads a provider-only route: give the node's provider key with --provider-key-file.");
                using var http = ServiceHttp.CreateForProvider("--node", nodeUrl, key);
                var accepted = await ServiceHttp.GetAsync<ChannelVoucherState>(http, $"v1/channels/{channelId}", cancellationToken);
                Console.WriteLine($"  node accepted {accepted.CumulativeAmount} over {accepted.Generations} generations (nonce {accepted.Nonce}): {accepted.CumulativeAmount - state.Paid} not settled yet, {state.Deposit - accepted.CumulativeAmount} left to spend");
            }

            return 0;
        }));

        return new Command("channel", "Open, fund, close and inspect payment channels (creators).") { open, topUp, close, status };
    }

    private static async Task<(PaymentChannelsClient Channels, EvmAddress Sender)> ClientAsync(
        ChainAccountOptions account, ParseResult parse, Option<string> channelsOption, CancellationToken cancellationToken)
    {
        var (web3, _, sender, chainId) = await account.OpenAsync(parse);
        return (new PaymentChannelsClient(web3, await account.ContractAsync(parse, channelsOption, c => c.PaymentChannels, cancellationToken), chainId), sender);
    }
}
