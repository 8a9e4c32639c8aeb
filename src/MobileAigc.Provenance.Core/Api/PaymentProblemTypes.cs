namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types (<c>type</c> of the ProblemDetails) with which an edge node refuses a
/// paid request. None of them generates content or stores a voucher.
/// </summary>
public static class PaymentProblemTypes
{
    /// <summary>402: the model has a price and the request carries no voucher.</summary>
    public const string PaymentRequired = ProblemTypePrefix.Value + "payment-required";

    /// <summary>400: the voucher's signature is not 65 bytes of hex with v 27/28 and a low s.</summary>
    public const string VoucherMalformed = ProblemTypePrefix.Value + "voucher-malformed";

    /// <summary>
    /// 403: the signature is not the channel creator's over this voucher: forged, altered, or signed
    /// in another EIP-712 domain (another chain or contract), which recovers another address.
    /// </summary>
    public const string VoucherInvalidSignature = ProblemTypePrefix.Value + "voucher-invalid-signature";

    /// <summary>409: the nonce is not above the latest the node accepted (a replay or a reordered voucher).</summary>
    public const string VoucherNonceStale = ProblemTypePrefix.Value + "voucher-nonce-stale";

    /// <summary>402: the amount is below the latest accepted amount plus the price of one generation in the channel's token.</summary>
    public const string VoucherUnderpaid = ProblemTypePrefix.Value + "voucher-underpaid";

    /// <summary>402: the amount is above the channel's deposit on chain: the channel cannot pay it.</summary>
    public const string VoucherExceedsDeposit = ProblemTypePrefix.Value + "voucher-exceeds-deposit";

    /// <summary>404: no channel with this id on the node's <c>PaymentChannels</c> contract.</summary>
    public const string VoucherChannelUnknown = ProblemTypePrefix.Value + "voucher-channel-unknown";

    /// <summary>409: the channel pays another provider.</summary>
    public const string VoucherWrongProvider = ProblemTypePrefix.Value + "voucher-wrong-provider";

    /// <summary>
    /// 409: the channel is bound to another node. A channel pays generations at the one node it was
    /// opened for, so one voucher increment buys one generation even when a provider runs many nodes.
    /// </summary>
    public const string VoucherWrongNode = ProblemTypePrefix.Value + "voucher-wrong-node";

    /// <summary>
    /// 409: the channel holds a token this node does not accept (see <see cref="PaymentTerms.AcceptedTokens"/>);
    /// nothing was generated or charged.
    /// </summary>
    public const string VoucherTokenNotAccepted = ProblemTypePrefix.Value + "voucher-token-not-accepted";

    /// <summary>409: the channel pays for another model than the requested one.</summary>
    public const string VoucherWrongModel = ProblemTypePrefix.Value + "voucher-wrong-model";

    /// <summary>409: the channel is closed, expired, or expires within the node's safety margin.</summary>
    public const string VoucherChannelExpired = ProblemTypePrefix.Value + "voucher-channel-expired";

    /// <summary>409: the requested model is not registered in <c>ModelRegistry</c>, so it has no price and no channel can pay for it.</summary>
    public const string ModelNotRegistered = ProblemTypePrefix.Value + "model-not-registered";

    /// <summary>503: the node cannot read the chain right now; nothing was charged. The same type as the ledger's (<see cref="LedgerProblemTypes.ChainUnavailable"/>).</summary>
    public const string ChainUnavailable = LedgerProblemTypes.ChainUnavailable;

    /// <summary>404: the node accepted no voucher on this channel (<c>GET v1/channels/{id}</c>).</summary>
    public const string ChannelNotSeen = ProblemTypePrefix.Value + "channel-not-seen";
}
