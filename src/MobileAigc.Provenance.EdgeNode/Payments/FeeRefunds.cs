using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Storage;
using static MobileAigc.Provenance.EdgeNode.Payments.PaymentsDatabase;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// Gives back a fee the node took for work it did not deliver (a fine-tune that failed or was cancelled), in its
/// <see cref="PaymentsDatabase"/>: the fee's voucher is released when it is still the channel's latest and no settlement
/// carries it (<see cref="VoucherBook.Release"/>); otherwise the creator has used the channel since (or it was settled), so the
/// fee stays in the cumulative amount and becomes a credit on the channel that lowers what the next vouchers must add
/// (<see cref="VoucherBook.TryAccept"/>).
/// </summary>
/// <remarks>
/// Idempotent and durable: each voucher is given back at most once (its outcome is stored in the same transaction as the
/// release or the credit), so a caller that crashed after giving back and before noting it may simply call again.
/// Thread-safe: it shares the database's lock with the book and the journal.
/// </remarks>
public sealed class FeeRefunds
{
    private readonly PaymentsDatabase _database;

    /// <summary>The refunds kept in <paramref name="database"/>.</summary>
    public FeeRefunds(PaymentsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Gives back <paramref name="fee"/> (see the class).</summary>
    /// <returns><see cref="FineTuneRefunds.Released"/> or <see cref="FineTuneRefunds.Credited"/>; on a second call, the first call's outcome.</returns>
    public string GiveBack(AcceptedPayment fee, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(fee);
        return _database.Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var id = fee.ChannelId.ToString();
            if (connection.Scalar("SELECT outcome FROM refund WHERE channel_id = $id AND nonce = $nonce", ("$id", id), ("$nonce", (long)fee.Nonce)) is string done)
            {
                return done;
            }

            string outcome;
            if (VoucherBook.ReleaseLatest(connection, id, fee.Nonce))
            {
                outcome = FineTuneRefunds.Released;
            }
            else
            {
                var credit = connection.Scalar("SELECT credit FROM channel WHERE channel_id = $id", ("$id", id)) as string
                    ?? throw new InvalidOperationException($"No voucher of channel {fee.ChannelId} is on record: the fee cannot be given back.");
                connection.Execute("UPDATE channel SET credit = $credit WHERE channel_id = $id", ("$id", id), ("$credit", Text(Amount(credit) + fee.Price)));
                outcome = FineTuneRefunds.Credited;
            }

            connection.Execute("INSERT INTO refund (channel_id, nonce, amount, outcome, refunded_at) VALUES ($id, $nonce, $amount, $outcome, $now)",
                ("$id", id), ("$nonce", (long)fee.Nonce), ("$amount", Text(fee.Price)), ("$outcome", outcome), ("$now", now.ToUnixTimeMilliseconds()));
            transaction.Commit();
            return outcome;
        });
    }

    /// <summary>The credit a channel holds: what the node will take less on its next vouchers; zero when none.</summary>
    public System.Numerics.BigInteger Credit(Bytes32 channelId) => _database.Use(connection =>
        connection.Scalar("SELECT credit FROM channel WHERE channel_id = $id", ("$id", channelId.ToString())) is string credit ? Amount(credit) : System.Numerics.BigInteger.Zero);
}
