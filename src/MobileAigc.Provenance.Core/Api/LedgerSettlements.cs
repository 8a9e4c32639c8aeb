using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's view of payments: settled vouchers and royalties, as auditors, providers and model owners read them.</summary>
public static class LedgerSettlements
{
    /// <summary>Settled vouchers, filtered and paginated: <c>GET api/audit/settlements</c>.</summary>
    public const string SettlementsPath = "api/audit/settlements";

    /// <summary>Totals of the matching settlements per token: <c>GET api/audit/settlements/totals</c>.</summary>
    public const string TotalsPath = "api/audit/settlements/totals";

    /// <summary>Royalties received per model and token: <c>GET api/audit/royalties</c>.</summary>
    public const string RoyaltiesPath = "api/audit/royalties";

    /// <summary>Checks the mirrored channels against the chain: <c>POST api/admin/settlements/check</c> (admin key).</summary>
    public const string CheckPath = "api/admin/settlements/check";
}

/// <summary>One settled voucher.</summary>
/// <param name="Id">The ledger's id, in chain order.</param>
/// <param name="ChannelId">The channel.</param>
/// <param name="Provider">Who settled and was paid.</param>
/// <param name="ModelHash">The channel's model.</param>
/// <param name="Token">The channel's token; the zero address for ETH.</param>
/// <param name="Nonce">The voucher's nonce.</param>
/// <param name="CumulativeAmount">The voucher's cumulative amount, decimal.</param>
/// <param name="Payment">What this settlement paid, royalties included, decimal.</param>
/// <param name="Royalty">The royalties of <paramref name="Payment"/>, decimal.</param>
/// <param name="Royalties">Who received the royalties.</param>
/// <param name="SettledAt">The block's time.</param>
/// <param name="BlockNumber">The block.</param>
/// <param name="TransactionHash">The settlement transaction.</param>
public sealed record AuditSettlement(
    long Id, Bytes32 ChannelId, EvmAddress Provider, Bytes32 ModelHash, EvmAddress Token, long Nonce,
    string CumulativeAmount, string Payment, string Royalty, IReadOnlyList<AuditRoyalty> Royalties,
    DateTimeOffset SettledAt, long BlockNumber, Bytes32 TransactionHash);

/// <summary>A royalty paid to one model's owner.</summary>
/// <param name="ModelHash">The model whose terms earned it.</param>
/// <param name="Recipient">Its owner at settlement.</param>
/// <param name="Amount">The amount, decimal.</param>
public sealed record AuditRoyalty(Bytes32 ModelHash, EvmAddress Recipient, string Amount);

/// <summary>Totals of matching settlements in one token.</summary>
/// <param name="Token">The token; the zero address for ETH.</param>
/// <param name="Settlements">How many settled vouchers.</param>
/// <param name="Paid">Everything paid, royalties included, decimal.</param>
/// <param name="Royalties">The royalties part of <paramref name="Paid"/>, decimal.</param>
/// <param name="Provider">What the providers kept: <paramref name="Paid"/> less <paramref name="Royalties"/>, decimal.</param>
public sealed record SettlementTotals(EvmAddress Token, long Settlements, string Paid, string Royalties, string Provider);

/// <summary>Royalties one model's owners received in one token.</summary>
/// <param name="ModelHash">The model.</param>
/// <param name="Token">The token; the zero address for ETH.</param>
/// <param name="Payments">How many settled vouchers paid it a royalty.</param>
/// <param name="Amount">The total, decimal.</param>
public sealed record ModelRoyaltyTotals(Bytes32 ModelHash, EvmAddress Token, long Payments, string Amount);

/// <summary>One channel whose mirror disagrees with the chain.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="MirroredPaid">The sum of its settled payments in the ledger, decimal.</param>
/// <param name="ChainPaid">What <c>PaymentChannels.channel(id).paid</c> says now, decimal.</param>
/// <param name="MirroredNonce">The last settled nonce in the ledger.</param>
/// <param name="ChainNonce">The chain's <c>lastNonce</c>.</param>
public sealed record ChannelDiscrepancy(Bytes32 ChannelId, string MirroredPaid, string ChainPaid, long MirroredNonce, ulong ChainNonce);

/// <summary>The result of checking the mirrored channels against the chain.</summary>
/// <param name="ChannelsChecked">How many channels were read from the chain.</param>
/// <param name="Settlements">How many settlements the ledger holds for them.</param>
/// <param name="IndexedThroughBlock">The last block the settlement indexer has read; later settlements are not counted on either side.</param>
/// <param name="Discrepancies">The channels that differ; empty when the ledger agrees with the chain.</param>
public sealed record SettlementCheck(int ChannelsChecked, long Settlements, long IndexedThroughBlock, IReadOnlyList<ChannelDiscrepancy> Discrepancies);
