using System.Numerics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>Why a paid request was refused, as the host reports it (a ProblemDetails).</summary>
/// <param name="Type">A <see cref="PaymentProblemTypes"/> type.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Title">A short, stable title.</param>
/// <param name="Detail">What was wrong, with the values.</param>
/// <param name="RequiredAmount">For an underpaid voucher: the least cumulative amount the node accepts now.</param>
/// <param name="Cause">For a refusal caused by a failure (the chain unreadable): the failure, to log, never to answer.</param>
public sealed record PaymentRefusal(string Type, int Status, string Title, string Detail, BigInteger? RequiredAmount = null, Exception? Cause = null);

/// <summary>What the gate decided: free, paid with an accepted voucher, or refused.</summary>
/// <param name="Payment">The accepted voucher; null when free or refused.</param>
/// <param name="Refusal">Why the request is refused; null when it may be served.</param>
/// <param name="Payer">The channel's creator, who signed the accepted voucher; null when free or refused.</param>
public sealed record PaymentDecision(AcceptedPayment? Payment, PaymentRefusal? Refusal, EvmAddress? Payer = null)
{
    /// <summary>A free generation: no voucher needed, none stored.</summary>
    public static PaymentDecision Free { get; } = new(null, null);
}

/// <summary>
/// Decides whether a request for a model may be served: free for a model priced 0 (or with payments
/// off), else only with a voucher that passes every check, stored durably before the decision is
/// returned. Checks, in order: the model is registered; a voucher is present and well formed; its
/// channel exists, pays the configured provider (when <see cref="PaymentOptions.Provider"/> is set;
/// otherwise the chain already binds the provider to this node's operator), is bound to this node, pays for this model, holds an
/// accepted token (<see cref="PaymentOptions.AcceptedTokens"/>) and stays open and unexpired for
/// <see cref="PaymentOptions.ExpiryMargin"/>; the channel's creator signed it in this node's
/// <c>PaymentChannels</c> domain; its amount is within the deposit; its nonce is above and its amount
/// at least one generation's price above the latest accepted (atomically with storing it:
/// <see cref="VoucherBook.TryAccept"/>). The price is the accepted token's configured price, or the
/// channel's own (the model's price when the channel opened): never a price read now, so an owner
/// who changes the terms changes nothing for open channels.
/// </summary>
public sealed class PaymentGate
{
    private readonly PaymentChainReader? _chain;
    private readonly PaymentVoucherVerifier? _verifier;
    private readonly VoucherBook _vouchers;
    private readonly PaymentOptions _options;
    private readonly IReadOnlyDictionary<EvmAddress, BigInteger?> _acceptedTokens;
    private readonly TimeProvider _time;

    /// <summary>
    /// A gate with payments on for <paramref name="node"/>: channels and prices from
    /// <paramref name="chain"/>, signatures in <paramref name="domain"/>; channels must pay
    /// <paramref name="provider"/> when it is set.
    /// </summary>
    public PaymentGate(
        EvmAddress node, EvmAddress? provider, ContractDomain domain, PaymentChainReader chain, VoucherBook vouchers, PaymentOptions options, TimeProvider time)
        : this(node, provider, vouchers, options, time)
    {
        _chain = chain;
        _verifier = new PaymentVoucherVerifier(domain);
    }

    /// <summary>A gate with payments off: every model is free.</summary>
    public PaymentGate(EvmAddress node, EvmAddress? provider, VoucherBook vouchers, PaymentOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Node = node;
        Provider = provider;
        _vouchers = vouchers;
        _options = options;
        _acceptedTokens = options.AcceptedTokenPrices;
        _time = time;
    }

    /// <summary>The node channels must be bound to: this node's key.</summary>
    public EvmAddress Node { get; }

    /// <summary>The provider channels must pay; null: whoever operates this node on chain (the contract binds the two).</summary>
    public EvmAddress? Provider { get; }

    /// <summary>The tokens this node accepts with their prices (a null price: the channel's own).</summary>
    public IReadOnlyList<AcceptedToken> AcceptedTokens => [.. _acceptedTokens.Select(t => new AcceptedToken(t.Key, t.Value))];

    /// <summary>True when the node charges for priced models.</summary>
    public bool Enabled => _chain is not null;

    /// <summary>The domain vouchers are checked in; null when payments are off.</summary>
    public ContractDomain? Domain => _verifier?.Domain;

    /// <summary>The model's current price; null when payments are off or the model is not registered.</summary>
    /// <exception cref="ChainUnavailableException">When the chain cannot be read.</exception>
    public async Task<BigInteger?> PriceAsync(Bytes32 modelHash) => _chain is null ? null : await _chain.GetPriceAsync(modelHash);

    /// <summary>Decides on a request for <paramref name="modelHash"/> carrying <paramref name="payment"/> (see the class).</summary>
    public Task<PaymentDecision> DecideAsync(Bytes32 modelHash, VoucherPayment? payment) => DecideAsync(modelHash, payment, 1);

    /// <summary>
    /// Decides on a request for <paramref name="modelHash"/> that costs <paramref name="generations"/> times one generation's
    /// price (a fine-tune of the model), carrying <paramref name="payment"/>: the same checks, one voucher, the price multiplied.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="generations"/> is below 1.</exception>
    public async Task<PaymentDecision> DecideAsync(Bytes32 modelHash, VoucherPayment? payment, int generations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(generations, 1);
        if (_chain is null)
        {
            return PaymentDecision.Free;
        }

        try
        {
            return await DecideOnChainAsync(_chain, modelHash, payment, generations);
        }
        catch (ChainUnavailableException e)
        {
            return new PaymentDecision(null, new PaymentRefusal(
                PaymentProblemTypes.ChainUnavailable, 503, "Chain unavailable", $"{e.Message} Nothing was charged; retry later.", Cause: e));
        }
    }

    /// <summary>Takes back an accepted voucher whose generation failed (see <see cref="VoucherBook.Release"/>).</summary>
    public bool Release(AcceptedPayment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return _vouchers.Release(payment.ChannelId, payment.Nonce);
    }

    private async Task<PaymentDecision> DecideOnChainAsync(PaymentChainReader chain, Bytes32 modelHash, VoucherPayment? payment, int generations)
    {
        var price = await chain.GetPriceAsync(modelHash);
        if (price is null)
        {
            return Refuse(PaymentProblemTypes.ModelNotRegistered, 409, "Model not registered",
                $"Model {modelHash} is not registered in ModelRegistry: it has no price and no channel can pay for it.");
        }

        if (price.Value.IsZero)
        {
            // A free model: a voucher sent anyway is ignored, neither checked nor stored, so nobody pays.
            return PaymentDecision.Free;
        }

        if (payment is null)
        {
            return Refuse(PaymentProblemTypes.PaymentRequired, 402, "Payment required",
                $"Model {modelHash} costs {price} per generation" + (generations == 1 ? "" : $", and this request {generations} generations' worth")
                + $": send the next voucher on a channel for this model bound to node {Node}.");
        }

        EcdsaSignature signature;
        try
        {
            signature = EcdsaSignature.Parse(payment.Signature ?? "");
        }
        catch (InvalidSignatureException e)
        {
            return Refuse(PaymentProblemTypes.VoucherMalformed, 400, "Malformed voucher", e.Message);
        }

        var channel = await chain.GetChannelAsync(payment.ChannelId);
        if (channel is null)
        {
            return Refuse(PaymentProblemTypes.VoucherChannelUnknown, 404, "Unknown channel",
                $"No channel {payment.ChannelId} on PaymentChannels {_verifier!.Domain.VerifyingContract} (chain {_verifier.Domain.ChainId}).");
        }

        if (Provider is { } provider && channel.Provider != provider)
        {
            return Refuse(PaymentProblemTypes.VoucherWrongProvider, 409, "Channel pays another provider",
                $"Channel {channel.ChannelId} pays provider {channel.Provider}; this node accepts channels to {provider}.");
        }

        if (channel.Node != Node)
        {
            // One increment buys one generation: a channel is spent at the one node it was opened for.
            return Refuse(PaymentProblemTypes.VoucherWrongNode, 409, "Channel bound to another node",
                $"Channel {channel.ChannelId} pays generations at node {channel.Node}; this is node {Node}. Open a channel for this node.");
        }

        if (channel.ModelHash != modelHash)
        {
            return Refuse(PaymentProblemTypes.VoucherWrongModel, 409, "Channel pays for another model",
                $"Channel {channel.ChannelId} pays for model {channel.ModelHash}; the request is for model {modelHash}.");
        }

        if (!_acceptedTokens.TryGetValue(channel.Token, out var tokenPrice))
        {
            return Refuse(PaymentProblemTypes.VoucherTokenNotAccepted, 409, "Token not accepted",
                $"Channel {channel.ChannelId} holds token {channel.Token}, which this node does not accept. Accepted: "
                + string.Join(", ", _acceptedTokens.Keys.Select(t => t.IsZero ? "the native currency" : t.ToString())) + ".");
        }

        // At least one unit per generation: a channel opened while the model was free still pays an increment per generation.
        var charged = BigInteger.Max(tokenPrice ?? channel.PricePerGeneration, BigInteger.One) * generations;

        var now = _time.GetUtcNow();
        if (channel.Closed || channel.ExpiresAt - _options.ExpiryMargin <= now)
        {
            return Refuse(PaymentProblemTypes.VoucherChannelExpired, 409, "Channel expired",
                channel.Closed
                    ? $"Channel {channel.ChannelId} is closed."
                    : $"Channel {channel.ChannelId} expires at {channel.ExpiresAt:O}; this node needs at least {_options.ExpiryMargin} left to settle. Extend the channel.");
        }

        var voucher = payment.Voucher;
        if (!_verifier!.IsSignedBy(voucher, signature, channel.Creator.ToBytes()))
        {
            var signer = _verifier.TryRecoverSigner(voucher, signature, out var recovered) ? recovered.ToString() : "no address";
            return Refuse(PaymentProblemTypes.VoucherInvalidSignature, 403, "Invalid voucher signature",
                $"The voucher's signature recovers to {signer}, not to the channel's creator {channel.Creator}: it is forged or altered, or it was signed "
                + $"for another chain or contract (this node checks in the {_verifier.Domain.Name} domain of chain {_verifier.Domain.ChainId}, "
                + $"contract {_verifier.Domain.VerifyingContract}).");
        }

        if (voucher.CumulativeAmount > channel.Deposit)
        {
            // A cached deposit can only be too low (deposits only grow): read again before refusing.
            channel = await chain.GetChannelAsync(payment.ChannelId, fresh: true) ?? channel;
            if (voucher.CumulativeAmount > channel.Deposit)
            {
                return Refuse(PaymentProblemTypes.VoucherExceedsDeposit, 402, "Voucher exceeds the deposit",
                    $"Cumulative amount {voucher.CumulativeAmount} is above channel {channel.ChannelId}'s deposit {channel.Deposit}. Top the channel up.");
            }
        }

        var refusal = _vouchers.TryAccept(channel, voucher, signature, charged, now);
        if (refusal is not null)
        {
            return refusal.Type == PaymentProblemTypes.VoucherNonceStale
                ? Refuse(refusal.Type, 409, "Stale voucher nonce", refusal.Detail)
                : Refuse(refusal.Type, 402, "Voucher underpaid", refusal.Detail, refusal.RequiredAmount);
        }

        return new PaymentDecision(new AcceptedPayment(voucher.ChannelId, voucher.Nonce, voucher.CumulativeAmount, charged), null, channel.Creator);
    }

    private static PaymentDecision Refuse(string type, int status, string title, string detail, BigInteger? requiredAmount = null) =>
        new(null, new PaymentRefusal(type, status, title, detail, requiredAmount));
}
