using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// The payment side of one edge node: its payments database with the voucher book and the settlement
/// journal kept in it, the gate every generation request passes, and, when payments are on, the chain
/// reader and the Web3 the settlement worker sends from (the node key). The host and tests open it
/// through <see cref="Open"/>.
/// </summary>
public sealed class NodePayments : IDisposable
{
    private readonly PaymentsDatabase _database;

    private NodePayments(
        PaymentOptions options, EvmAddress provider, PaymentsDatabase database, VoucherBook vouchers, PaymentGate gate, PaymentChainReader? chain, IWeb3? web3)
    {
        Options = options;
        Provider = provider;
        _database = database;
        Vouchers = vouchers;
        Settlements = new SettlementJournal(database);
        Refunds = new FeeRefunds(database);
        Gate = gate;
        Chain = chain;
        Web3 = web3;
    }

    /// <summary>The options in effect.</summary>
    public PaymentOptions Options { get; }

    /// <summary>The provider channels must pay.</summary>
    public EvmAddress Provider { get; }

    /// <summary>The accepted vouchers and earnings.</summary>
    public VoucherBook Vouchers { get; }

    /// <summary>Fees given back for work not delivered (released, or credited on the channel).</summary>
    public FeeRefunds Refunds { get; }

    /// <summary>The settlement transactions and the channels due.</summary>
    public SettlementJournal Settlements { get; }

    /// <summary>Decides on every generation request.</summary>
    public PaymentGate Gate { get; }

    /// <summary>Channel and price reads; null when payments are off.</summary>
    public PaymentChainReader? Chain { get; }

    /// <summary>A Web3 that sends from the node key; null when payments are off.</summary>
    public IWeb3? Web3 { get; }

    /// <summary>
    /// True when the settlement worker should run: payments on and settlement enabled. The node key
    /// settles the channels bound to it; the contract credits their provider (the node's operator).
    /// </summary>
    public bool SettlesItself { get; private init; }

    /// <summary>What <c>GET v1/payments</c> shows.</summary>
    public PaymentTerms Terms => Gate.Domain is { } domain
        ? new PaymentTerms(true, (long)domain.ChainId, domain.VerifyingContract, Gate.Provider, Gate.Node, Gate.AcceptedTokens)
        : new PaymentTerms(false, null, null, null, null, []);

    /// <summary>Validates <paramref name="options"/> and opens the payments of <paramref name="node"/>.</summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    public static NodePayments Open(EdgeNodeRuntime node, EdgeNodeOptions nodeOptions, PaymentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(nodeOptions);
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        EvmAddress? configured = options.Provider is { } text ? EvmAddress.Parse(text) : null;
        var provider = configured ?? node.Node;
        var database = PaymentsDatabase.Open(nodeOptions.PaymentsPath, provider);
        var vouchers = new VoucherBook(database);
        if (options.RpcUrl is null)
        {
            return new NodePayments(options, provider, database, vouchers, new PaymentGate(node.Node, configured, vouchers, options, time), null, null);
        }

        var web3 = new Web3(new Account(node.Secrets.SigningKey, nodeOptions.ChainId), options.RpcUrl.ToString());
        var channels = new PaymentChannelsClient(web3, EvmAddress.Parse(options.PaymentChannels!), nodeOptions.ChainId);
        var chain = new PaymentChainReader(channels, new ModelRegistryClient(web3, EvmAddress.Parse(options.ModelRegistry!)), options, time);
        var gate = new PaymentGate(node.Node, configured, channels.Domain, chain, vouchers, options, time);
        return new NodePayments(options, provider, database, vouchers, gate, chain, web3)
        {
            SettlesItself = options.SettlementEnabled,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();
}
