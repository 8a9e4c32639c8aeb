using System.Net.Http.Headers;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>The node as <c>GET v1/node</c> and <c>GET v1/models</c> show it.</summary>
/// <param name="Node">The node key's address.</param>
/// <param name="Image">The image model it serves.</param>
/// <param name="Text">The text model it serves.</param>
internal sealed record ServedNode(EvmAddress Node, ServedModelInfo Image, ServedModelInfo Text);

/// <summary>
/// What the edge provider does for its node (a process of its own, started by <see cref="LocalServices"/>):
/// registers its key and advertises its endpoint with its operator account (the node host does not
/// advertise itself), watches it over its HTTP API, replays a settled voucher with the node key from
/// the node's keystore (the account the node settles from), and withdraws the earnings it is credited
/// as the node's operator.
/// </summary>
internal sealed class EdgeProvider(Script script, AnvilNode anvil, ProvenanceContracts contracts, Actor operatorAccount, LocalServices services, ServiceProcess node)
    : IDisposable
{
    // The provider's own client: it presents the provider key the node created in its folder, as the provider-only reads require.
    private readonly HttpClient _node = new()
    {
        BaseAddress = node.BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", File.ReadAllText(services.NodeProviderKeyFile.FullName).Trim()) },
    };
    private PaymentChannelsClient? _nodeKeyChannels;

    /// <summary>Reads the started node's key and models.</summary>
    public async Task<ServedNode> ShowStartedAsync(CancellationToken cancellationToken)
    {
        var status = await ServiceHttp.GetAsync<NodeStatus>(_node, EdgeRoutes.Node, cancellationToken);
        var models = await ServiceHttp.GetAsync<IReadOnlyList<ServedModelInfo>>(_node, EdgeRoutes.Models, cancellationToken);
        script.Step("Edge node started", $"{node.BaseAddress} (process {node.ProcessId}, log {node.LogFile}); node key {status.Node} (encrypted keystore in {services.NodeDirectory}), models: {string.Join(", ", models.Select(m => $"{m.Name} ({m.SizeBytes / 1024} KiB)"))} (GET {EdgeRoutes.Node}, {EdgeRoutes.Models})");
        return new ServedNode(status.Node,
            models.FirstOrDefault(m => m.Kind == "image") ?? throw new InvalidOperationException("The node serves no image model."),
            models.FirstOrDefault(m => m.Kind == "text") ?? throw new InvalidOperationException("The node serves no text model."));
    }

    /// <summary>
    /// Registers the node key for both models, with the key's EIP-712 consent (signed with the node's keystore, which
    /// the provider holds), and advertises the node's endpoint, as its operator.
    /// </summary>
    public async Task RegisterNodeAsync(ServedNode served, CancellationToken cancellationToken)
    {
        var registry = contracts.RegistryFor(operatorAccount.Web3);
        var consent = NodeConsentTypedData.Sign(
            await registry.ConsentToRequestAsync(served.Node, cancellationToken), await registry.DomainAsync(cancellationToken), NodeKey());
        await registry.RegisterNodeAsync(consent, [served.Image.ModelHash, served.Text.ModelHash], cancellationToken);
        await registry.SetNodeEndpointAsync(served.Node, node.BaseAddress, EndpointScope.LocalDevelopment, cancellationToken);
        script.Step("Edge provider registered the node key",
            $"with the key's EIP-712 consent (operator {consent.Consent.Operator}, nonce {consent.Consent.Nonce}, deadline {DateTimeOffset.FromUnixTimeSeconds((long)consent.Consent.Deadline):u}, this chain and registry): the key is bound to operator {await registry.NodeKeyOperatorAsync(served.Node, cancellationToken)} for ever; serving both models, authorised once their owner approves: {await registry.IsNodeAuthorizedAsync(served.Node, served.Image.ModelHash, cancellationToken)}; endpoint advertised: {await registry.GetNodeEndpointAsync(served.Node, cancellationToken)}");
    }

    /// <summary>Adds <paramref name="model"/> (a derivative the node made and its owner approved) to what the node serves on chain, as its operator.</summary>
    public async Task ServeModelAsync(EvmAddress node, ServedModelInfo model, CancellationToken cancellationToken)
    {
        var registry = contracts.RegistryFor(operatorAccount.Web3);
        await registry.SetNodeModelAsync(node, model.ModelHash, serves: true, cancellationToken);
        script.Step($"Edge provider added {model.Name} to what the node serves",
            $"setNodeModel by operator {operatorAccount.Address} (provenance node models add): authorised now {await registry.IsNodeAuthorizedAsync(node, model.ModelHash, cancellationToken)} (registered, serving, approved by its owner)");
    }

    /// <summary>Gives the node key gas (it settles its own vouchers) and reads the node's payment terms.</summary>
    public async Task<PaymentTerms> FundNodeKeyAsync(ServedNode served, CancellationToken cancellationToken)
    {
        await anvil.SetBalanceAsync(served.Node, Ether.Wei, cancellationToken);
        var terms = await ServiceHttp.GetAsync<PaymentTerms>(_node, EdgeRoutes.Payments, cancellationToken);
        script.Step("Edge node takes payments",
            $"channels bound to node {terms.Node}, paying its operator {operatorAccount.Address} (the node key settles on its behalf), in {string.Join(", ", terms.AcceptedTokens.Select(t => t.Token.IsZero ? "the native currency" : t.Token.ToString()))}; "
            + $"vouchers in the {terms.PaymentChannels} domain on chain {terms.ChainId} (GET {EdgeRoutes.Payments}); vouchers stored in {Path.Combine(services.NodeDirectory, "payments.db")} before content is returned");
        return terms;
    }

    /// <summary>Waits until the node's own outbox dispatcher has delivered every record to the ledger.</summary>
    public async Task WaitForDeliveryAsync(IReadOnlyList<Bytes32> digests, CancellationToken cancellationToken)
    {
        // The ledger accepts a node's records once its registry indexer has seen the node's registration; until then the node retries.
        var status = await script.WaitUntilAsync("the node to deliver its outbox to the ledger", TimeSpan.FromSeconds(60),
            ct => ServiceHttp.GetAsync<NodeStatus>(_node, EdgeRoutes.Node, ct), s => s.PendingRecords == 0 || s.HeldRecords > 0, cancellationToken);
        if (status.HeldRecords > 0)
        {
            var held = await ServiceHttp.GetAsync<System.Text.Json.JsonElement>(_node, EdgeRoutes.HeldRecords, cancellationToken);
            throw new InvalidOperationException($"The ledger refused {status.HeldRecords} of the node's records for good (GET {EdgeRoutes.HeldRecords}): {held}");
        }

        script.Step("Edge node delivered its outbox to the ledger", $"{digests.Count} signed records accepted by POST {LedgerIngest.RecordsPath} (signature checked against the registry the ledger mirrors from chain events); GET {EdgeRoutes.Node}: {status.PendingRecords} pending, {status.DeliveredRecords} delivered");
    }

    /// <summary>Waits until the node keeps the checked proofs of its anchored records, as it does by itself after anchoring.</summary>
    public async Task WaitForKeptProofsAsync(IReadOnlyList<Bytes32> digests, CancellationToken cancellationToken)
    {
        var status = await script.WaitUntilAsync("the node to keep its records' proofs", TimeSpan.FromSeconds(60),
            ct => ServiceHttp.GetAsync<NodeStatus>(_node, EdgeRoutes.Node, ct), s => s.ProvenRecords >= digests.Count, cancellationToken,
            s => $"{s.ProvenRecords} of {digests.Count} proofs kept (the node's log says why)");
        script.Step("Edge node keeps the proofs of its records",
            $"{status.ProvenRecords} proofs pulled from POST {LedgerEvidence.EvidencePath}, each checked against its root on chain before it was kept beside the outbox; "
            + $"GET {EdgeRoutes.Node}: provenRecords {status.ProvenRecords}; the whole copy at GET {EdgeRoutes.NodeEvidence} (provider key) verifies files and rebuilds a ledger without this one");
    }

    /// <summary>Waits until the node's settlement worker has settled everything it accepted on <paramref name="channelId"/>, and finds the transaction through the ledger.</summary>
    public async Task WaitForSettlementAsync(Bytes32 channelId, EvmAddress provider, HttpClient ledger, EvmAddress modelOwner, CancellationToken cancellationToken)
    {
        var state = await script.WaitUntilAsync("the node's settlement worker to settle the channel", TimeSpan.FromSeconds(60),
            ct => ServiceHttp.GetAsync<ChannelVoucherState>(_node, EdgeRoutes.Channel(channelId), ct), s => s.SettledNonce == s.Nonce, cancellationToken);
        var earnings = (await ServiceHttp.GetAsync<EarningsReport>(_node, EdgeRoutes.Earnings, cancellationToken)).Models.Single(m => m.ModelHash == state.ModelHash);
        var settled = await script.WaitUntilAsync("the ledger to index the settlement", TimeSpan.FromSeconds(30),
            ct => ServiceHttp.GetAsync<AuditPage<AuditSettlement>>(ledger, $"{LedgerSettlements.SettlementsPath}?provider={provider}", ct),
            page => page.Items.Any(s => s.ChannelId == channelId && (ulong)s.Nonce == state.SettledNonce), cancellationToken);
        var transaction = settled.Items.Last(s => s.ChannelId == channelId).TransactionHash;
        var settlement = await contracts.ChannelsFor(operatorAccount.Web3).GetSettlementAsync(transaction.ToString(), cancellationToken)
            ?? throw new InvalidOperationException($"No settlement in transaction {transaction}.");
        var royaltyCredit = await contracts.ChannelsFor(operatorAccount.Web3).BalanceOfAsync(EvmAddress.Zero, modelOwner, cancellationToken);
        script.Step("Node's settlement worker settled the channel", $"{settlement.ChannelCount} channel(s) in transaction {transaction} (found by GET {LedgerSettlements.SettlementsPath}); earnings (GET {EdgeRoutes.Earnings}): accepted {Ether.Format(earnings.Accepted)}, settled {Ether.Format(earnings.Settled)}, pending {Ether.Format(earnings.Pending)} ETH; royalty credit of the model's owner {modelOwner}: {Ether.Format(royaltyCredit)} ETH");
    }

    /// <summary>Sends the settled voucher to the chain again with the node key, and shows it skipped: it pays nothing.</summary>
    public async Task ReplayVoucherAsync(Bytes32 channelId, CancellationToken cancellationToken)
    {
        var channels = NodeKeyChannels();
        var latest = await ServiceHttp.GetAsync<ChannelVoucherState>(_node, EdgeRoutes.Channel(channelId), cancellationToken);
        var voucher = new PaymentVoucher(channelId, latest.CumulativeAmount, latest.Nonce);
        var replay = await channels.SettleAsync([new SignedPaymentVoucher(voucher, EcdsaSignature.Parse(latest.Signature))], cancellationToken);
        var skipped = replay.Skipped.SingleOrDefault(s => s.ChannelId == channelId)
            ?? throw new InvalidOperationException("PaymentChannels accepted a voucher twice.");
        script.Step("Provider replayed the same voucher on chain",
            $"skipped: {skipped.Reason} (VoucherSkipped event; paid {Ether.Format(replay.TotalPaid)} ETH, transaction {replay.Transaction.Hash})");
    }

    /// <summary>Withdraws what the node earned, credited to its operator.</summary>
    public async Task WithdrawAsync(CancellationToken cancellationToken) =>
        await contracts.ChannelsFor(operatorAccount.Web3).WithdrawAsync(EvmAddress.Zero, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _node.Dispose();

    // The node key is the provider account: its operator opens the node's keystore to act as it.
    private EthECKey NodeKey() => KeystoreFile.Decrypt(services.NodeKeystore, services.NodePassphraseFile);

    private PaymentChannelsClient NodeKeyChannels()
    {
        if (_nodeKeyChannels is null)
        {
            var web3 = new Web3(new Account(NodeKey(), contracts.ChainId), anvil.RpcUrl.ToString());
            _nodeKeyChannels = new PaymentChannelsClient(web3, contracts.PaymentChannels, contracts.ChainId);
        }

        return _nodeKeyChannels;
    }
}
