using System.Numerics;
using Microsoft.Data.Sqlite;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Storage;
using static MobileAigc.Provenance.EdgeNode.Payments.PaymentsDatabase;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>A channel the settlement worker should settle: its latest, unsettled voucher.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Token">Its token (the batch is ordered by token and model to keep the transaction cheap).</param>
/// <param name="ModelHash">Its model.</param>
/// <param name="Voucher">The latest accepted voucher.</param>
/// <param name="Signature">Its signature.</param>
public sealed record SettlementCandidate(Bytes32 ChannelId, EvmAddress Token, Bytes32 ModelHash, PaymentVoucher Voucher, EcdsaSignature Signature);

/// <summary>A settlement transaction signed and stored, not yet known to be mined.</summary>
/// <param name="Id">Its row.</param>
/// <param name="TransactionHash">The hash of <paramref name="RawTransaction"/>.</param>
/// <param name="RawTransaction">The signed transaction, re-broadcast as is (never re-signed).</param>
/// <param name="SignedAt">When it was signed.</param>
/// <param name="Vouchers">The vouchers it settles.</param>
public sealed record PendingSettlement(long Id, string TransactionHash, string RawTransaction, DateTimeOffset SignedAt, IReadOnlyList<PaymentVoucher> Vouchers);

/// <summary>One settlement transaction as stored.</summary>
/// <param name="Id">Its row.</param>
/// <param name="TransactionHash">Its hash.</param>
/// <param name="State"><c>signed</c> (sent or about to be), <c>mined</c> or <c>failed</c>.</param>
/// <param name="Channels">How many channels it settles.</param>
/// <param name="BlockNumber">The block it was mined in, when mined.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record SettlementRecord(long Id, string TransactionHash, string State, int Channels, ulong? BlockNumber, string? Error);

/// <summary>A voucher a mined settlement carried and the contract skipped.</summary>
/// <param name="SettlementId">The settlement.</param>
/// <param name="ChannelId">The voucher's channel.</param>
/// <param name="Nonce">The voucher's nonce.</param>
/// <param name="Reason">Why the contract skipped it (its <c>SkipReason</c>).</param>
public sealed record SkippedSettlementVoucher(long SettlementId, Bytes32 ChannelId, ulong Nonce, string Reason);

/// <summary>
/// The settlement side of the node's <see cref="PaymentsDatabase"/>: which channels are due, every
/// settlement transaction (signed and stored before it is broadcast, then mined or failed) with the
/// vouchers it carries, and what the chain shows as settled.
/// </summary>
/// <remarks>
/// Each change commits to disk in one <c>BEGIN IMMEDIATE</c> transaction before its method returns:
/// a settlement and the marks on its channels are stored together, and its outcome and the channels'
/// settled state are recorded together. Thread-safe; any number of books and journals over one
/// database serialise on its lock.
/// </remarks>
public sealed class SettlementJournal
{
    private const string Signed = "signed";
    private const string Mined = "mined";
    private const string Failed = "failed";

    private readonly PaymentsDatabase _database;

    /// <summary>The journal kept in <paramref name="database"/>.</summary>
    public SettlementJournal(PaymentsDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>
    /// The channels whose latest voucher is not settled and not in a settlement in flight, that can
    /// still be settled (unexpired at <paramref name="now"/>) and either expire within
    /// <paramref name="settleBeforeExpiry"/> or owe at least <paramref name="threshold"/>; soonest
    /// expiry first, at most <paramref name="max"/>.
    /// </summary>
    public IReadOnlyList<SettlementCandidate> Due(DateTimeOffset now, TimeSpan settleBeforeExpiry, BigInteger threshold, int max)
    {
        var due = _database.Use(connection =>
        {
            using var command = connection.Command("""
                SELECT channel_id, token, model_hash, nonce, amount, signature, settled_amount, expires_at FROM channel
                WHERE nonce > settled_nonce AND settling_id IS NULL AND settle_error IS NULL AND expires_at > $now
                """,
                ("$now", now.ToUnixTimeSeconds()));
            using var reader = command.ExecuteReader();
            var rows = new List<(long ExpiresAt, SettlementCandidate Candidate)>();
            while (reader.Read())
            {
                var amount = Amount(reader.GetString(4));
                var expiresAt = reader.GetInt64(7);
                if (expiresAt - now.ToUnixTimeSeconds() > settleBeforeExpiry.TotalSeconds && amount - Amount(reader.GetString(6)) < threshold)
                {
                    continue;
                }

                var channelId = Bytes32.Parse(reader.GetString(0));
                rows.Add((expiresAt, new SettlementCandidate(channelId, EvmAddress.Parse(reader.GetString(1)), Bytes32.Parse(reader.GetString(2)),
                    new PaymentVoucher(channelId, amount, (ulong)reader.GetInt64(3)), EcdsaSignature.Parse(reader.GetString(5)))));
            }

            return rows;
        });

        return [.. due.OrderBy(d => d.ExpiresAt).Take(max).Select(d => d.Candidate)];
    }

    /// <summary>
    /// Stores a signed settlement transaction and marks its channels as in flight, durably, BEFORE it
    /// is broadcast: after a crash the same signed transaction is looked up (and re-broadcast when the
    /// chain lost it), never signed again.
    /// </summary>
    /// <returns>The settlement's id.</returns>
    public long Begin(string transactionHash, string rawTransaction, IReadOnlyList<PaymentVoucher> vouchers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(vouchers);
        return _database.Use(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var id = (long)connection.Scalar(
                "INSERT INTO settlement (tx_hash, raw_tx, state, signed_at) VALUES ($hash, $raw, $state, $now) RETURNING id",
                ("$hash", transactionHash), ("$raw", rawTransaction), ("$state", Signed), ("$now", now.ToUnixTimeMilliseconds()))!;
            foreach (var voucher in vouchers)
            {
                connection.Execute("INSERT INTO settlement_voucher (settlement_id, channel_id, nonce, amount) VALUES ($sid, $id, $nonce, $amount)",
                    ("$sid", id), ("$id", voucher.ChannelId.ToString()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)));
                connection.Execute("UPDATE channel SET settling_id = $sid WHERE channel_id = $id", ("$sid", id), ("$id", voucher.ChannelId.ToString()));
            }

            transaction.Commit();
            return id;
        });
    }

    /// <summary>The settlement transactions signed but not yet known to be mined or failed.</summary>
    public IReadOnlyList<PendingSettlement> Pending() => _database.Use(connection =>
    {
        var pending = new List<(long Id, string Hash, string Raw, long SignedAt)>();
        using (var command = connection.Command("SELECT id, tx_hash, raw_tx, signed_at FROM settlement WHERE state = $state ORDER BY id", ("$state", Signed)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        return (IReadOnlyList<PendingSettlement>)[.. pending.Select(p =>
            new PendingSettlement(p.Id, p.Hash, p.Raw, DateTimeOffset.FromUnixTimeMilliseconds(p.SignedAt), Vouchers(connection, p.Id)))];
    });

    /// <summary>
    /// Records a mined settlement: its channels' settled nonce and amount become the settled vouchers',
    /// except for the vouchers the contract skipped (<paramref name="skipped"/>: channel and reason),
    /// which are recorded with the reason and whose channels are set aside
    /// (<see cref="MarkUnsettleable"/>): not submitted again until a new voucher is accepted on them.
    /// </summary>
    public void Complete(long id, ulong blockNumber, BigInteger gasUsed, DateTimeOffset now, IReadOnlyDictionary<Bytes32, string>? skipped = null) => _database.Use(connection =>
    {
        skipped ??= new Dictionary<Bytes32, string>();
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute("UPDATE settlement SET state = $state, finished_at = $now, block_number = $block, gas_used = $gas WHERE id = $sid",
            ("$state", Mined), ("$now", now.ToUnixTimeMilliseconds()), ("$block", (long)blockNumber), ("$gas", Text(gasUsed)), ("$sid", id));
        foreach (var voucher in Vouchers(connection, id))
        {
            if (skipped.TryGetValue(voucher.ChannelId, out var reason))
            {
                connection.Execute("UPDATE settlement_voucher SET skipped = $reason WHERE settlement_id = $sid AND channel_id = $id",
                    ("$sid", id), ("$id", voucher.ChannelId.ToString()), ("$reason", reason));
                connection.Execute("UPDATE channel SET settle_error = $error WHERE channel_id = $id",
                    ("$id", voucher.ChannelId.ToString()), ("$error", $"skipped by the contract: {reason}"));
                continue;
            }

            connection.Execute("UPDATE channel SET settled_nonce = $nonce, settled_amount = $amount WHERE channel_id = $id AND settled_nonce < $nonce",
                ("$id", voucher.ChannelId.ToString()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)));
        }

        connection.Execute("UPDATE channel SET settling_id = NULL WHERE settling_id = $sid", ("$sid", id));
        transaction.Commit();
    });

    /// <summary>Records a settlement that reverted or can never be mined; its channels become due again.</summary>
    public void Fail(long id, string error, DateTimeOffset now) => _database.Use(connection =>
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        connection.Execute("UPDATE settlement SET state = $state, finished_at = $now, error = $error WHERE id = $sid",
            ("$state", Failed), ("$now", now.ToUnixTimeMilliseconds()), ("$error", error), ("$sid", id));
        connection.Execute("UPDATE channel SET settling_id = NULL WHERE settling_id = $sid", ("$sid", id));
        transaction.Commit();
    });

    /// <summary>
    /// Records what the chain shows as settled on a channel (by an earlier transaction of this node
    /// whose outcome was not recorded, or by the provider's account from elsewhere), so that the
    /// worker never submits a voucher the chain already has.
    /// </summary>
    public void RecordChainSettled(Bytes32 channelId, ulong lastNonce, BigInteger paid) => _database.Use(connection =>
        connection.Execute("UPDATE channel SET settled_nonce = $nonce, settled_amount = $amount WHERE channel_id = $id AND settled_nonce < $nonce",
            ("$id", channelId.ToString()), ("$nonce", (long)lastNonce), ("$amount", Text(paid))));

    /// <summary>Keeps a channel out of settlement until a new voucher is accepted on it: the contract refused its voucher (the reason is kept).</summary>
    public void MarkUnsettleable(Bytes32 channelId, string error) => _database.Use(connection =>
        connection.Execute("UPDATE channel SET settle_error = $error WHERE channel_id = $id", ("$id", channelId.ToString()), ("$error", error)));

    /// <summary>The vouchers mined settlements carried that the contract skipped: channel, nonce and reason, oldest settlement first.</summary>
    public IReadOnlyList<SkippedSettlementVoucher> Skipped() => _database.Use(connection =>
    {
        using var command = connection.Command(
            "SELECT settlement_id, channel_id, nonce, skipped FROM settlement_voucher WHERE skipped IS NOT NULL ORDER BY settlement_id, channel_id");
        using var reader = command.ExecuteReader();
        var skipped = new List<SkippedSettlementVoucher>();
        while (reader.Read())
        {
            skipped.Add(new SkippedSettlementVoucher(reader.GetInt64(0), Bytes32.Parse(reader.GetString(1)), (ulong)reader.GetInt64(2), reader.GetString(3)));
        }

        return (IReadOnlyList<SkippedSettlementVoucher>)skipped;
    });

    /// <summary>Every settlement transaction, oldest first.</summary>
    public IReadOnlyList<SettlementRecord> All() => _database.Use(connection =>
    {
        using var command = connection.Command("""
            SELECT s.id, s.tx_hash, s.state, (SELECT COUNT(*) FROM settlement_voucher v WHERE v.settlement_id = s.id), s.block_number, s.error
            FROM settlement s ORDER BY s.id
            """);
        using var reader = command.ExecuteReader();
        var settlements = new List<SettlementRecord>();
        while (reader.Read())
        {
            settlements.Add(new SettlementRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : (ulong)reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        return (IReadOnlyList<SettlementRecord>)settlements;
    });

    private static List<PaymentVoucher> Vouchers(SqliteConnection connection, long id)
    {
        using var command = connection.Command("SELECT channel_id, nonce, amount FROM settlement_voucher WHERE settlement_id = $sid ORDER BY channel_id", ("$sid", id));
        using var reader = command.ExecuteReader();
        var vouchers = new List<PaymentVoucher>();
        while (reader.Read())
        {
            vouchers.Add(new PaymentVoucher(Bytes32.Parse(reader.GetString(0)), Amount(reader.GetString(2)), (ulong)reader.GetInt64(1)));
        }

        return vouchers;
    }
}
