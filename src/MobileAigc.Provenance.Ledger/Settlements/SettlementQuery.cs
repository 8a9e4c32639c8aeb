using System.Globalization;
using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Settlements;

/// <summary>
/// An auditor's query over settled vouchers: by provider, model, channel and block time, keyset
/// pages on <see cref="ChannelSettlement.Id"/> (chain order), and totals per token over every
/// match. Amounts are summed here, exactly, as big integers: they are uint256 on chain and
/// neither SQLite nor a database integer holds them.
/// </summary>
public sealed record SettlementQuery
{
    /// <summary>Only settlements paid to this provider. Default: any.</summary>
    public EvmAddress? Provider { get; init; }

    /// <summary>Only settlements of channels for this model. Default: any.</summary>
    public Bytes32? Model { get; init; }

    /// <summary>Only settlements of this channel. Default: any.</summary>
    public Bytes32? Channel { get; init; }

    /// <summary>Only settlements in blocks at or after this time (Unix seconds). Default: no bound.</summary>
    public long? From { get; init; }

    /// <summary>Only settlements in blocks at or before this time (Unix seconds). Default: no bound.</summary>
    public long? To { get; init; }

    /// <summary>Start after this settlement id (decoded from the cursor). Default: from the first.</summary>
    public long? After { get; init; }

    /// <summary>Settlements per page, 1 to <see cref="LedgerAudit.MaxPageSize"/>. Default: <see cref="LedgerAudit.DefaultPageSize"/>.</summary>
    public int PageSize { get; init; } = LedgerAudit.DefaultPageSize;

    /// <summary>Parses the query string of <c>GET api/audit/settlements</c> and its totals; null or empty means "no filter".</summary>
    /// <param name="provider">A provider address.</param>
    /// <param name="model">A 0x-prefixed 32-byte model hash.</param>
    /// <param name="channel">A 0x-prefixed 32-byte channel id.</param>
    /// <param name="from">Unix seconds or an ISO 8601 date-time with offset, inclusive.</param>
    /// <param name="to">Unix seconds or an ISO 8601 date-time with offset, inclusive.</param>
    /// <param name="cursor">The <c>nextCursor</c> of a previous page.</param>
    /// <param name="limit">The page size.</param>
    /// <exception cref="AuditQueryException">When any of them is malformed or <paramref name="from"/> is after <paramref name="to"/>.</exception>
    public static SettlementQuery Parse(
        string? provider = null, string? model = null, string? channel = null, string? from = null, string? to = null,
        string? cursor = null, string? limit = null)
    {
        var query = new SettlementQuery
        {
            Provider = AuditArguments.Address("provider", provider),
            Model = AuditArguments.Hash("model", model),
            Channel = AuditArguments.Hash("channel", channel),
            From = AuditArguments.Time("from", from),
            To = AuditArguments.Time("to", to),
            After = AuditCursor.Decode(AuditCursor.Settlements, cursor),
            PageSize = AuditPageSize.Parse(limit),
        };
        return query.From > query.To
            ? throw new AuditQueryException("from", $"from ({query.From}) is after to ({query.To}).")
            : query;
    }

    /// <summary>One page of matching settlements, with their royalties, and the cursor of the next (null on the last page).</summary>
    public async Task<AuditPage<AuditSettlement>> ReadPageAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await Rows(db).Include(s => s.Royalties).Take(PageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(PageSize).Select(ToAudit).ToList();
        var next = rows.Count > PageSize ? AuditCursor.Encode(AuditCursor.Settlements, items[^1].Id) : null;
        return new AuditPage<AuditSettlement>(items, next);
    }

    /// <summary>Totals per token over every matching settlement (the cursor and page size are ignored), read as a stream.</summary>
    public async Task<IReadOnlyList<SettlementTotals>> TotalsAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sums = new Dictionary<EvmAddress, (long Count, BigInteger Paid, BigInteger Royalty)>();
        var amounts = (this with { After = null }).Rows(db).Select(s => new { s.Token, s.Payment, s.Royalty });
        await foreach (var row in amounts.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var sum = sums.GetValueOrDefault(row.Token);
            sums[row.Token] = (sum.Count + 1, sum.Paid + Parse(row.Payment), sum.Royalty + Parse(row.Royalty));
        }

        return sums.OrderBy(s => s.Key.ToString(), StringComparer.Ordinal)
            .Select(s => new SettlementTotals(s.Key, s.Value.Count, Format(s.Value.Paid), Format(s.Value.Royalty), Format(s.Value.Paid - s.Value.Royalty)))
            .ToList();
    }

    /// <summary>
    /// Royalties per (model, token) paid in the matching time range, for one model (<see cref="Model"/>)
    /// or every model; <see cref="Provider"/> and <see cref="Channel"/> do not apply.
    /// </summary>
    public async Task<IReadOnlyList<ModelRoyaltyTotals>> RoyaltiesAsync(LedgerDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var royalties = db.RoyaltyPayments.AsNoTracking();
        if (Model is { } model)
        {
            royalties = royalties.Where(r => r.ModelHash == model);
        }

        if (From is { } from)
        {
            var since = DateTimeOffset.FromUnixTimeSeconds(from);
            royalties = royalties.Where(r => r.SettledAt >= since);
        }

        if (To is { } to)
        {
            var until = DateTimeOffset.FromUnixTimeSeconds(to);
            royalties = royalties.Where(r => r.SettledAt <= until);
        }

        var sums = await SumRoyaltiesAsync(royalties, cancellationToken);
        return sums.OrderBy(s => s.Key.Model.ToString(), StringComparer.Ordinal).ThenBy(s => s.Key.Token.ToString(), StringComparer.Ordinal)
            .Select(s => new ModelRoyaltyTotals(s.Key.Model, s.Key.Token, s.Value.Count, Format(s.Value.Amount)))
            .ToList();
    }

    /// <summary>
    /// The royalty payments of <paramref name="royalties"/> counted and summed per (model, token), exactly, as big integers
    /// (uint256 on chain); the rows are read as a stream.
    /// </summary>
    public static async Task<Dictionary<(Bytes32 Model, EvmAddress Token), (long Count, BigInteger Amount)>> SumRoyaltiesAsync(
        IQueryable<RoyaltyPayment> royalties, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(royalties);
        var sums = new Dictionary<(Bytes32 Model, EvmAddress Token), (long Count, BigInteger Amount)>();
        await foreach (var row in royalties.Select(r => new { r.ModelHash, r.Token, r.Amount }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var sum = sums.GetValueOrDefault((row.ModelHash, row.Token));
            sums[(row.ModelHash, row.Token)] = (sum.Count + 1, sum.Amount + Parse(row.Amount));
        }

        return sums;
    }

    private IQueryable<ChannelSettlement> Rows(LedgerDbContext db)
    {
        var settlements = db.Settlements.AsNoTracking();
        if (After is { } after)
        {
            settlements = settlements.Where(s => s.Id > after);
        }

        if (Provider is { } provider)
        {
            settlements = settlements.Where(s => s.Provider == provider);
        }

        if (Model is { } model)
        {
            settlements = settlements.Where(s => s.ModelHash == model);
        }

        if (Channel is { } channel)
        {
            settlements = settlements.Where(s => s.ChannelId == channel);
        }

        if (From is { } from)
        {
            var since = DateTimeOffset.FromUnixTimeSeconds(from);
            settlements = settlements.Where(s => s.SettledAt >= since);
        }

        if (To is { } to)
        {
            var until = DateTimeOffset.FromUnixTimeSeconds(to);
            settlements = settlements.Where(s => s.SettledAt <= until);
        }

        return settlements.OrderBy(s => s.Id);
    }

    private static AuditSettlement ToAudit(ChannelSettlement s) => new(
        s.Id, s.ChannelId, s.Provider, s.ModelHash, s.Token, s.Nonce, s.CumulativeAmount, s.Payment, s.Royalty,
        s.Royalties.OrderBy(r => r.Id).Select(r => new AuditRoyalty(r.ModelHash, r.Recipient, r.Amount)).ToList(),
        s.SettledAt, s.BlockNumber, s.TransactionHash);

    private static BigInteger Parse(string amount) => BigInteger.Parse(amount, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Format(BigInteger amount) => amount.ToString(CultureInfo.InvariantCulture);
}
