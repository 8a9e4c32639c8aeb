using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>Discovery: which edge nodes serve a model, where, at what price, with what record.</summary>
public static class LedgerOffers
{
    /// <summary>The offers for one model: <c>GET api/offers?model=0x…</c>.</summary>
    public const string OffersPath = "api/offers";
}

/// <summary>One node's offer to generate with a model.</summary>
/// <param name="Node">The node's signing address.</param>
/// <param name="Operator">The account that registered the node (its provider).</param>
/// <param name="Endpoint">Where the node takes requests, as its operator advertised it on chain; null when not advertised.</param>
/// <param name="ModelHash">The model.</param>
/// <param name="PricePerGeneration">The model's current price per generation, decimal, in the smallest unit of a channel's token.</param>
/// <param name="TrackRecord">What the ledger knows of the node and its provider.</param>
public sealed record ModelOffer(
    EvmAddress Node, EvmAddress Operator, string? Endpoint, Bytes32 ModelHash, string PricePerGeneration, ProviderTrackRecord TrackRecord);

/// <summary>A node's history in the ledger, shown beside its offer.</summary>
/// <param name="RecordsAnchored">The node's records anchored on chain.</param>
/// <param name="RecordsPending">The node's records accepted but not anchored yet.</param>
/// <param name="RecordsRevoked">The node's records its operator revoked.</param>
/// <param name="Settlements">Vouchers settled on chain by the node's provider (its operator or the node's own account).</param>
/// <param name="SettledTotals">What those settlements paid, per token.</param>
public sealed record ProviderTrackRecord(
    long RecordsAnchored, long RecordsPending, long RecordsRevoked, long Settlements, IReadOnlyList<SettlementTotals> SettledTotals);
