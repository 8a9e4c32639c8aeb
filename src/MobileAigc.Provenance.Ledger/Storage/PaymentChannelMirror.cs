using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// A payment channel as the ledger last saw it in <c>PaymentChannels</c>' events. Amounts are
/// decimal strings in the token's smallest unit: a uint128 does not fit a database integer.
/// </summary>
public sealed class MirroredChannel
{
    /// <summary>The channel's id.</summary>
    public Bytes32 ChannelId { get; set; }

    /// <summary>Who funded it and signs the vouchers.</summary>
    public EvmAddress Creator { get; set; }

    /// <summary>Who settles it and is paid.</summary>
    public EvmAddress Provider { get; set; }

    /// <summary>The ERC-20 it holds, or the zero address for ETH.</summary>
    public EvmAddress Token { get; set; }

    /// <summary>The model it pays for.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>Everything funded so far.</summary>
    public string Deposit { get; set; } = "0";

    /// <summary>Everything settled so far.</summary>
    public string Paid { get; set; } = "0";

    /// <summary>From then on it can be neither settled nor topped up.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The nonce of the last settled voucher.</summary>
    public long LastNonce { get; set; }

    /// <summary>Whether the creator closed it.</summary>
    public bool Closed { get; set; }

    /// <summary>The creator's refund at closing ("0" while open).</summary>
    public string Refund { get; set; } = "0";

    /// <summary>The block of the opening.</summary>
    public long OpenedBlock { get; set; }
}

/// <summary>One settled voucher: a <c>ChannelSettled</c> event.</summary>
public sealed class ChannelSettlement
{
    /// <summary>Local id, in chain order (block, log index).</summary>
    public long Id { get; set; }

    /// <summary>The channel.</summary>
    public Bytes32 ChannelId { get; set; }

    /// <summary>The provider who settled and was paid.</summary>
    public EvmAddress Provider { get; set; }

    /// <summary>The channel's model.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>The channel's token (zero address for ETH).</summary>
    public EvmAddress Token { get; set; }

    /// <summary>The settled voucher's nonce.</summary>
    public long Nonce { get; set; }

    /// <summary>The settled voucher's cumulative amount.</summary>
    public string CumulativeAmount { get; set; } = "0";

    /// <summary>What this settlement paid (royalties included).</summary>
    public string Payment { get; set; } = "0";

    /// <summary>The part of <see cref="Payment"/> paid as royalties, the whole lineage together.</summary>
    public string Royalty { get; set; } = "0";

    /// <summary>The time of the event's block.</summary>
    public DateTimeOffset SettledAt { get; set; }

    /// <summary>The event's block.</summary>
    public long BlockNumber { get; set; }

    /// <summary>The event's index in its block.</summary>
    public long LogIndex { get; set; }

    /// <summary>The settlement transaction.</summary>
    public Bytes32 TransactionHash { get; set; }

    /// <summary>Who received the royalties, one row per recipient model.</summary>
    public List<RoyaltyPayment> Royalties { get; set; } = [];
}

/// <summary>The royalty one model's owner received from one settled voucher.</summary>
public sealed class RoyaltyPayment
{
    /// <summary>Local id.</summary>
    public long Id { get; set; }

    /// <summary>The settlement it is part of.</summary>
    public long SettlementId { get; set; }

    /// <summary>The model whose terms earned it: the channel's model or one of its ancestors.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>The model's owner at settlement, who was credited.</summary>
    public EvmAddress Recipient { get; set; }

    /// <summary>The amount, in the channel's token.</summary>
    public string Amount { get; set; } = "0";

    /// <summary>The token (zero address for ETH).</summary>
    public EvmAddress Token { get; set; }

    /// <summary>The time of the settlement's block.</summary>
    public DateTimeOffset SettledAt { get; set; }
}
