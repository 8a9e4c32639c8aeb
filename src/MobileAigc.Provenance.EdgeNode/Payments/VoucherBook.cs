using System.Numerics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Storage;
using static MobileAigc.Provenance.EdgeNode.Payments.PaymentsDatabase;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>Why the voucher book refused a voucher.</summary>
/// <param name="Type">A <see cref="PaymentProblemTypes"/> type.</param>
/// <param name="Detail">What was wrong, with the values.</param>
/// <param name="RequiredAmount">For an underpaid voucher: the least cumulative amount the node accepts now.</param>
public sealed record VoucherRefusal(string Type, string Detail, BigInteger? RequiredAmount = null);

/// <summary>
/// The vouchers the node accepted, in its <see cref="PaymentsDatabase"/>: every one (a history row
/// each: model, price, amount delta, time) and the latest per channel (the one to settle), with what
/// they earned. An accepted voucher is on disk before <see cref="TryAccept"/> returns.
/// </summary>
/// <remarks>
/// The check of a voucher against the channel's latest one and the insert happen under one lock
/// and in one <c>BEGIN IMMEDIATE</c> transaction, and <c>(channel_id, nonce)</c> is the history's
/// primary key: two concurrent requests on one channel cannot both pass with the same nonce or
/// amount. Thread-safe; any number of books and journals over one database serialise on its lock.
/// </remarks>
public sealed class VoucherBook
{
    private readonly PaymentsDatabase _database;

    /// <summary>The book kept in <paramref name="database"/>.</summary>
    public VoucherBook(PaymentsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>
    /// Checks <paramref name="voucher"/> against the latest voucher accepted on its channel (and the
    /// chain's settled state) and, when it passes, stores it as the channel's latest with its history
    /// row, committed to disk, all atomically. Its nonce must be above both latest nonces and its
    /// amount at least the higher latest amount plus <paramref name="price"/>. The caller has checked
    /// the signature, the channel's provider, model, expiry and deposit.
    /// </summary>
    /// <returns>Null when accepted; otherwise why not (nothing stored).</returns>
    public VoucherRefusal? TryAccept(ChannelFacts channel, PaymentVoucher voucher, EcdsaSignature signature, BigInteger price, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(signature);
        return _database.Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var id = channel.ChannelId.ToString();
            ulong latestNonce = 0;
            var latestAmount = BigInteger.Zero;
            var credit = BigInteger.Zero;
            using (var command = connection.Command("SELECT nonce, amount, credit FROM channel WHERE channel_id = $id", ("$id", id)))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    latestNonce = (ulong)reader.GetInt64(0);
                    latestAmount = Amount(reader.GetString(1));
                    credit = Amount(reader.GetString(2));
                }
            }

            var floorNonce = Math.Max(latestNonce, channel.LastNonce);
            if (voucher.Nonce <= floorNonce)
            {
                return new VoucherRefusal(PaymentProblemTypes.VoucherNonceStale,
                    $"Nonce {voucher.Nonce} is not above {floorNonce}, the latest nonce accepted on channel {channel.ChannelId}: a replayed or reordered voucher.");
            }

            // A credit (a fee given back after the creator used the channel again) lowers what this voucher must add.
            var floorAmount = BigInteger.Max(latestAmount, channel.Paid);
            var owed = BigInteger.Max(price - credit, BigInteger.Zero);
            var required = floorAmount + owed;
            if (voucher.CumulativeAmount < required)
            {
                return new VoucherRefusal(PaymentProblemTypes.VoucherUnderpaid,
                    $"Cumulative amount {voucher.CumulativeAmount} is below {required}: the latest accepted amount {floorAmount} plus the price {price}"
                    + (credit.IsZero ? "." : $" less the channel's credit {credit}."),
                    required);
            }

            var creditUsed = BigInteger.Min(credit, BigInteger.Max(price - (voucher.CumulativeAmount - floorAmount), BigInteger.Zero));

            connection.Execute(
                "INSERT INTO voucher (channel_id, nonce, amount, delta, price, model_hash, signature, accepted_at) VALUES ($id, $nonce, $amount, $delta, $price, $model, $signature, $now)",
                ("$id", id), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)),
                ("$delta", Text(voucher.CumulativeAmount - latestAmount)), ("$price", Text(price)), ("$model", channel.ModelHash.ToString()),
                ("$signature", signature.ToString()), ("$now", now.ToUnixTimeMilliseconds()));
            connection.Execute("""
                INSERT INTO channel (channel_id, model_hash, creator, token, expires_at, nonce, amount, signature, generations, first_accepted_at)
                VALUES ($id, $model, $creator, $token, $expires, $nonce, $amount, $signature, 1, $now)
                ON CONFLICT (channel_id) DO UPDATE SET
                    nonce = excluded.nonce, amount = excluded.amount, signature = excluded.signature, expires_at = excluded.expires_at,
                    generations = generations + 1, settle_error = NULL, credit = $credit
                """,
                ("$credit", Text(credit - creditUsed)),
                ("$id", id), ("$model", channel.ModelHash.ToString()), ("$creator", channel.Creator.ToString()), ("$token", channel.Token.ToString()),
                ("$expires", channel.ExpiresAt.ToUnixTimeSeconds()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)),
                ("$signature", signature.ToString()), ("$now", now.ToUnixTimeMilliseconds()));
            transaction.Commit();
            return null;
        });
    }

    /// <summary>
    /// Takes back a voucher whose generation failed after it was accepted, so that the creator does
    /// not pay for content never delivered: only while it is still the channel's latest and no
    /// settlement carries it. The channel's latest becomes the voucher accepted before it.
    /// </summary>
    /// <returns>True when the voucher was taken back.</returns>
    public bool Release(Bytes32 channelId, ulong nonce) => _database.Use(connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        if (!ReleaseLatest(connection, channelId.ToString(), nonce))
        {
            return false;
        }

        transaction.Commit();
        return true;
    });

    /// <summary>The body of <see cref="Release"/>, inside the caller's transaction.</summary>
    internal static bool ReleaseLatest(Microsoft.Data.Sqlite.SqliteConnection connection, string id, ulong nonce)
    {
        if (connection.Scalar("SELECT COUNT(*) FROM channel WHERE channel_id = $id AND nonce = $nonce AND settling_id IS NULL AND settled_nonce < $nonce",
                ("$id", id), ("$nonce", (long)nonce)) is not 1L)
        {
            return false;
        }

        connection.Execute("DELETE FROM voucher WHERE channel_id = $id AND nonce = $nonce", ("$id", id), ("$nonce", (long)nonce));
        using var command = connection.Command("SELECT nonce, amount, signature FROM voucher WHERE channel_id = $id ORDER BY nonce DESC LIMIT 1", ("$id", id));
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            var (previousNonce, amount, signature) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
            reader.Close();
            connection.Execute("UPDATE channel SET nonce = $nonce, amount = $amount, signature = $signature, generations = generations - 1 WHERE channel_id = $id",
                ("$id", id), ("$nonce", previousNonce), ("$amount", amount), ("$signature", signature));
        }
        else
        {
            reader.Close();
            connection.Execute("DELETE FROM channel WHERE channel_id = $id", ("$id", id));
        }

        return true;
    }

    /// <summary>The latest voucher accepted on a channel, or null when the node accepted none.</summary>
    public ChannelVoucherState? Find(Bytes32 channelId) => _database.Use(connection =>
    {
        using var command = connection.Command(
            "SELECT model_hash, nonce, amount, signature, generations, settled_nonce, settled_amount FROM channel WHERE channel_id = $id",
            ("$id", channelId.ToString()));
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ChannelVoucherState(channelId, Bytes32.Parse(reader.GetString(0)), (ulong)reader.GetInt64(1), Amount(reader.GetString(2)),
                reader.GetString(3), reader.GetInt64(4), (ulong)reader.GetInt64(5), Amount(reader.GetString(6)))
            : null;
    });

    /// <summary>Accepted, settled and pending amounts per channel and per model and token.</summary>
    public EarningsReport Earnings(EvmAddress provider)
    {
        var channels = _database.Use(connection =>
        {
            using var command = connection.Command(
                "SELECT channel_id, model_hash, creator, token, generations, amount, settled_amount FROM channel ORDER BY first_accepted_at, channel_id");
            using var reader = command.ExecuteReader();
            var rows = new List<ChannelEarnings>();
            while (reader.Read())
            {
                var accepted = Amount(reader.GetString(5));
                var settled = Amount(reader.GetString(6));
                rows.Add(new ChannelEarnings(Bytes32.Parse(reader.GetString(0)), Bytes32.Parse(reader.GetString(1)),
                    EvmAddress.Parse(reader.GetString(2)), EvmAddress.Parse(reader.GetString(3)), reader.GetInt64(4), accepted, settled, accepted - settled));
            }

            return rows;
        });

        var models = channels
            .GroupBy(c => (c.ModelHash, c.Token))
            .Select(g => new ModelEarnings(g.Key.ModelHash, g.Key.Token, g.Count(), g.Sum(c => c.Generations),
                Sum(g.Select(c => c.Accepted)), Sum(g.Select(c => c.Settled)), Sum(g.Select(c => c.Pending))))
            .ToList();
        return new EarningsReport(provider, channels, models);
    }

    /// <summary>How many vouchers were accepted in total (history rows).</summary>
    public long AcceptedCount() => _database.Use(connection => (long)connection.Scalar("SELECT COUNT(*) FROM voucher")!);

    private static BigInteger Sum(IEnumerable<BigInteger> amounts) => amounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a);
}
