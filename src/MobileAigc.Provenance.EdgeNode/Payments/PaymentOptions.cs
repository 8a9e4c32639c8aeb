using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// How an edge node is paid: the chain it reads channels and prices from, the safety margins of
/// acceptance, and when its settlement worker settles. Without <see cref="RpcUrl"/> payments are
/// off: every model is free and vouchers are ignored (the node behaves as before payments).
/// Vouchers are signed in the <c>PaymentChannels</c> domain of <see cref="EdgeNodeOptions.ChainId"/>.
/// </summary>
public sealed class PaymentOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Payments</c>.</summary>
    public const string Section = "Payments";

    private const string AddressPattern = "^0x[0-9a-fA-F]{40}$";

    /// <summary>The chain's JSON-RPC endpoint. Default: <c>null</c>, meaning payments are off.</summary>
    public Uri? RpcUrl { get; set; }

    /// <summary>The <c>PaymentChannels</c> contract. Required when <see cref="RpcUrl"/> is set.</summary>
    [RegularExpression(AddressPattern, ErrorMessage = "Payments:PaymentChannels must be a 0x-prefixed 20-byte address.")]
    public string? PaymentChannels { get; set; }

    /// <summary>The <c>ModelRegistry</c> contract prices are read from. Required when <see cref="RpcUrl"/> is set.</summary>
    [RegularExpression(AddressPattern, ErrorMessage = "Payments:ModelRegistry must be a 0x-prefixed 20-byte address.")]
    public string? ModelRegistry { get; set; }

    /// <summary>
    /// The provider account channels must pay (the node's operator on chain, who is credited). Default:
    /// <c>null</c>, meaning any: the contract already makes every channel bound to this node pay the
    /// node's operator. The settlement worker settles with the node key either way.
    /// </summary>
    [RegularExpression(AddressPattern, ErrorMessage = "Payments:Provider must be a 0x-prefixed 20-byte address.")]
    public string? Provider { get; set; }

    /// <summary>
    /// How long a channel must stay unexpired after a voucher is accepted, so that the node can still
    /// settle it. Default: 15 minutes; at least two settlement poll intervals.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ExpiryMargin { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a model's on-chain price is reused before it is read again. Default: 30 seconds; 0 reads it for every request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan PriceCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a channel read from the chain is reused. Default: 5 seconds; 0 reads it for every
    /// request. Safe because a channel's deposit and expiry only grow and a channel can only be closed
    /// after its expiry, which acceptance keeps <see cref="ExpiryMargin"/> away from; an amount above a
    /// cached deposit is checked again against a fresh read before it is refused.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ChannelCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The tokens this node accepts channels in, each with its price per generation. Default (empty):
    /// the native currency only, at each channel's own price (the model's on-chain price when the
    /// channel opened). A voucher on a channel in any other token is refused before anything is
    /// generated: a token anyone can mint, or one that moves nothing, buys nothing here. An ERC-20
    /// needs a price (in its smallest unit); the native currency may have one, which then replaces
    /// the channel's price.
    /// </summary>
    public IList<AcceptedTokenOption> AcceptedTokens { get; init; } = [];

    /// <summary>Whether the settlement worker runs (only when the provider is the node key). Default: true.</summary>
    public bool SettlementEnabled { get; set; } = true;

    /// <summary>How often the settlement worker looks for channels to settle. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SettlementPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A channel with unsettled vouchers is settled once it expires within this. Default: 1 hour; at least <see cref="ExpiryMargin"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan SettleBeforeExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A channel is settled once its unsettled value (latest accepted amount minus settled amount, in
    /// the channel token's smallest unit) reaches this. Decimal string. Default: 10^17 (0.1 ETH).
    /// </summary>
    [Required]
    public string SettlementThreshold { get; set; } = "100000000000000000";

    /// <summary>Most channels settled in one transaction. Default: 100; 1 to 512 (the contract's limit).</summary>
    [Range(1, 512)]
    public int SettlementBatchSize { get; set; } = 100;

    /// <summary>How long the worker waits for a settlement's receipt before it re-broadcasts the same signed transaction. Default: 2 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SettlementReceiptTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>True when a chain is configured.</summary>
    public bool Enabled => RpcUrl is not null;

    /// <summary><see cref="SettlementThreshold"/> as a number.</summary>
    public BigInteger SettlementThresholdValue => BigInteger.Parse(SettlementThreshold, NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="AcceptedTokens"/> as a price list: the configured tokens, or the native currency
    /// alone at the channel's price when none is configured. A null price means the channel's price.
    /// </summary>
    public IReadOnlyDictionary<EvmAddress, BigInteger?> AcceptedTokenPrices => AcceptedTokens.Count == 0
        ? new Dictionary<EvmAddress, BigInteger?> { [EvmAddress.Zero] = null }
        : AcceptedTokens.ToDictionary(
            t => EvmAddress.Parse(t.Token!),
            t => t.Price is null ? (BigInteger?)null : BigInteger.Parse(t.Price, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < AcceptedTokens.Count; i++)
        {
            var accepted = AcceptedTokens[i];
            var name = $"Payments:AcceptedTokens:{i}";
            if (accepted.Token is null || !EvmAddress.TryParse(accepted.Token, out var token))
            {
                yield return new ValidationResult($"{name}:Token must be a 0x-prefixed 20-byte address (the zero address for the native currency).", [nameof(AcceptedTokens)]);
                continue;
            }

            if (!seen.Add(token.ToString()))
            {
                yield return new ValidationResult($"{name}:Token {token} is listed twice.", [nameof(AcceptedTokens)]);
            }

            if (accepted.Price is null)
            {
                if (!token.IsZero)
                {
                    yield return new ValidationResult($"{name}:Price is required for the ERC-20 token {token}.", [nameof(AcceptedTokens)]);
                }
            }
            else if (!BigInteger.TryParse(accepted.Price, NumberStyles.None, CultureInfo.InvariantCulture, out var price) || price.IsZero)
            {
                yield return new ValidationResult($"{name}:Price must be a positive decimal integer (the token's smallest unit).", [nameof(AcceptedTokens)]);
            }
        }

        if (Enabled && PaymentChannels is null)
        {
            yield return new ValidationResult("Payments:PaymentChannels is required when Payments:RpcUrl is set.", [nameof(PaymentChannels)]);
        }

        if (Enabled && ModelRegistry is null)
        {
            yield return new ValidationResult("Payments:ModelRegistry is required when Payments:RpcUrl is set.", [nameof(ModelRegistry)]);
        }

        if (!BigInteger.TryParse(SettlementThreshold, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) || threshold.IsZero)
        {
            yield return new ValidationResult("Payments:SettlementThreshold must be a positive decimal integer.", [nameof(SettlementThreshold)]);
        }

        if (SettleBeforeExpiry < ExpiryMargin)
        {
            yield return new ValidationResult(
                "Payments:SettleBeforeExpiry must be at least Payments:ExpiryMargin, or an accepted voucher could expire unsettled.",
                [nameof(SettleBeforeExpiry)]);
        }

        if (ExpiryMargin < 2 * SettlementPollInterval)
        {
            yield return new ValidationResult(
                "Payments:ExpiryMargin must be at least two Payments:SettlementPollInterval, so the worker sees a channel before it expires.",
                [nameof(ExpiryMargin)]);
        }
    }
}

/// <summary>One entry of <see cref="PaymentOptions.AcceptedTokens"/>.</summary>
public sealed class AcceptedTokenOption
{
    /// <summary>The ERC-20 token's address; the zero address for the native currency.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// One generation's price in the token's smallest unit, as a positive decimal string. Required for
    /// an ERC-20; for the native currency, null means each channel's own price.
    /// </summary>
    public string? Price { get; set; }
}
