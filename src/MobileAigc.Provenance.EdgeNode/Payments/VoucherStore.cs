using System.Globalization;
using System.Numerics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Microsoft.Data.Sqlite;
using MobileAigc.Provenance.EdgeNode.Storage;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>What the chain says about a channel, as far as acceptance needs it.</summary>
/// <param name="ChannelId">The channel.</param>
/// <param name="Creator">Who signs its vouchers.</param>
/// <param name="Provider">Who it pays.</param>
/// <param name="Token">Its token; zero for ETH.</param>
/// <param name="ModelHash">The model it pays for.</param>
/// <param name="Deposit">What it holds in total.</param>
/// <param name="Paid">What was settled so far.</param>
/// <param name="ExpiresAt">From when it can no longer be settled.</param>
/// <param name="LastNonce">The nonce of the last settled voucher.</param>
/// <param name="Closed">Whether the creator closed it.</param>
public sealed record ChannelFacts(
    Bytes32 ChannelId, EvmAddress Creator, EvmAddress Provider, EvmAddress Token, Bytes32 ModelHash,
    BigInteger Deposit, BigInteger Paid, DateTimeOffset ExpiresAt, ulong LastNonce, bool Closed);

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

/// <summary>Why the store refused a voucher.</summary>
/// <param name="Type">A <see cref="PaymentProblemTypes"/> type.</param>
/// <param name="Detail">What was wrong, with the values.</param>
/// <param name="RequiredAmount">For an underpaid voucher: the least cumulative amount the node accepts now.</param>
public sealed record StoreRefusal(string Type, string Detail, BigInteger? RequiredAmount = null);

/// <summary>
/// The node's durable record of money: every voucher it accepted (a history row each: model, price,
/// amount delta, time), the latest voucher per channel (the one to settle), and every settlement
/// transaction with the vouchers it carries. A SQLite file in the node's data folder
/// (<c>payments.db</c>): WAL, and <c>synchronous=FULL</c> because an accepted voucher is money the
/// node earned once the content leaves: every commit is on disk, not only in the WAL, before
/// <see cref="TryAccept"/> returns (NORMAL could lose the last commits on power loss).
/// </summary>
/// <remarks>
/// The check of a voucher against the channel's latest one and the insert happen under one lock
/// and in one <c>BEGIN IMMEDIATE</c> transaction, and <c>(channel_id, nonce)</c> is the history's
/// primary key: two concurrent requests on one channel cannot both pass with the same nonce or
/// amount. Thread-safe; one instance per file.
/// </remarks>
public sealed class VoucherStore : IDisposable
{
    private const string Signed = "signed";
    private const string Mined = "mined";
    private const string Failed = "failed";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private VoucherStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) the store of <paramref name="provider"/> at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">When the file holds another provider's vouchers.</exception>
    public static VoucherStore Open(string path, EvmAddress provider)
    {
        ArgumentNullException.ThrowIfNull(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        var store = new VoucherStore(connection);
        try
        {
            connection.Execute("""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS provider (address TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS channel (
                    channel_id TEXT PRIMARY KEY,
                    model_hash TEXT NOT NULL,
                    creator TEXT NOT NULL,
                    token TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    nonce INTEGER NOT NULL,
                    amount TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    generations INTEGER NOT NULL,
                    first_accepted_at INTEGER NOT NULL,
                    settled_nonce INTEGER NOT NULL DEFAULT 0,
                    settled_amount TEXT NOT NULL DEFAULT '0',
                    settling_id INTEGER,
                    settle_error TEXT);
                CREATE TABLE IF NOT EXISTS voucher (
                    channel_id TEXT NOT NULL,
                    nonce INTEGER NOT NULL,
                    amount TEXT NOT NULL,
                    delta TEXT NOT NULL,
                    price TEXT NOT NULL,
                    model_hash TEXT NOT NULL,
                    signature TEXT NOT NULL,
                    accepted_at INTEGER NOT NULL,
                    PRIMARY KEY (channel_id, nonce));
                CREATE TABLE IF NOT EXISTS settlement (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tx_hash TEXT NOT NULL UNIQUE,
                    raw_tx TEXT NOT NULL,
                    state TEXT NOT NULL,
                    signed_at INTEGER NOT NULL,
                    finished_at INTEGER,
                    block_number INTEGER,
                    gas_used TEXT,
                    error TEXT);
                CREATE TABLE IF NOT EXISTS settlement_voucher (
                    settlement_id INTEGER NOT NULL REFERENCES settlement (id),
                    channel_id TEXT NOT NULL,
                    nonce INTEGER NOT NULL,
                    amount TEXT NOT NULL,
                    PRIMARY KEY (settlement_id, channel_id));
                """);
            var owner = connection.Scalar("SELECT address FROM provider") as string;
            if (owner is null)
            {
                connection.Execute("INSERT INTO provider (address) VALUES ($address)", ("$address", provider.ToString()));
            }
            else if (owner != provider.ToString())
            {
                throw new InvalidOperationException($"The payments store '{path}' belongs to provider {owner}, not {provider}.");
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks <paramref name="voucher"/> against the latest voucher accepted on its channel (and the
    /// chain's settled state) and, when it passes, stores it as the channel's latest with its history
    /// row, committed to disk, all atomically. Its nonce must be above both latest nonces and its
    /// amount at least the higher latest amount plus <paramref name="price"/>. The caller has checked
    /// the signature, the channel's provider, model, expiry and deposit.
    /// </summary>
    /// <returns>Null when accepted; otherwise why not (nothing stored).</returns>
    public StoreRefusal? TryAccept(ChannelFacts channel, PaymentVoucher voucher, EcdsaSignature signature, BigInteger price, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(voucher);
        ArgumentNullException.ThrowIfNull(signature);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var id = channel.ChannelId.ToString();
            ulong latestNonce = 0;
            var latestAmount = BigInteger.Zero;
            using (var command = _connection.Command("SELECT nonce, amount FROM channel WHERE channel_id = $id", ("$id", id)))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    latestNonce = (ulong)reader.GetInt64(0);
                    latestAmount = Amount(reader.GetString(1));
                }
            }

            var floorNonce = Math.Max(latestNonce, channel.LastNonce);
            if (voucher.Nonce <= floorNonce)
            {
                return new StoreRefusal(PaymentProblemTypes.VoucherNonceStale,
                    $"Nonce {voucher.Nonce} is not above {floorNonce}, the latest nonce accepted on channel {channel.ChannelId}: a replayed or reordered voucher.");
            }

            var required = BigInteger.Max(latestAmount, channel.Paid) + price;
            if (voucher.CumulativeAmount < required)
            {
                return new StoreRefusal(PaymentProblemTypes.VoucherUnderpaid,
                    $"Cumulative amount {voucher.CumulativeAmount} is below {required}: the latest accepted amount {BigInteger.Max(latestAmount, channel.Paid)} plus the model's price {price}.",
                    required);
            }

            _connection.Execute(
                "INSERT INTO voucher (channel_id, nonce, amount, delta, price, model_hash, signature, accepted_at) VALUES ($id, $nonce, $amount, $delta, $price, $model, $signature, $now)",
                ("$id", id), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)),
                ("$delta", Text(voucher.CumulativeAmount - latestAmount)), ("$price", Text(price)), ("$model", channel.ModelHash.ToString()),
                ("$signature", signature.ToString()), ("$now", now.ToUnixTimeMilliseconds()));
            _connection.Execute("""
                INSERT INTO channel (channel_id, model_hash, creator, token, expires_at, nonce, amount, signature, generations, first_accepted_at)
                VALUES ($id, $model, $creator, $token, $expires, $nonce, $amount, $signature, 1, $now)
                ON CONFLICT (channel_id) DO UPDATE SET
                    nonce = excluded.nonce, amount = excluded.amount, signature = excluded.signature, expires_at = excluded.expires_at,
                    generations = generations + 1, settle_error = NULL
                """,
                ("$id", id), ("$model", channel.ModelHash.ToString()), ("$creator", channel.Creator.ToString()), ("$token", channel.Token.ToString()),
                ("$expires", channel.ExpiresAt.ToUnixTimeSeconds()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)),
                ("$signature", signature.ToString()), ("$now", now.ToUnixTimeMilliseconds()));
            transaction.Commit();
            return null;
        }
    }

    /// <summary>
    /// Takes back a voucher whose generation failed after it was accepted, so that the creator does
    /// not pay for content never delivered: only while it is still the channel's latest and no
    /// settlement carries it. The channel's latest becomes the voucher accepted before it.
    /// </summary>
    /// <returns>True when the voucher was taken back.</returns>
    public bool Release(Bytes32 channelId, ulong nonce)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var id = channelId.ToString();
            if (_connection.Scalar("SELECT COUNT(*) FROM channel WHERE channel_id = $id AND nonce = $nonce AND settling_id IS NULL AND settled_nonce < $nonce",
                    ("$id", id), ("$nonce", (long)nonce)) is not 1L)
            {
                return false;
            }

            _connection.Execute("DELETE FROM voucher WHERE channel_id = $id AND nonce = $nonce", ("$id", id), ("$nonce", (long)nonce));
            using (var command = _connection.Command("SELECT nonce, amount, signature FROM voucher WHERE channel_id = $id ORDER BY nonce DESC LIMIT 1", ("$id", id)))
            using (var reader = command.ExecuteReader())
            {
                if (reader.Read())
                {
                    var (previousNonce, amount, signature) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
                    reader.Close();
                    _connection.Execute("UPDATE channel SET nonce = $nonce, amount = $amount, signature = $signature, generations = generations - 1 WHERE channel_id = $id",
                        ("$id", id), ("$nonce", previousNonce), ("$amount", amount), ("$signature", signature));
                }
                else
                {
                    reader.Close();
                    _connection.Execute("DELETE FROM channel WHERE channel_id = $id", ("$id", id));
                }
            }

            transaction.Commit();
            return true;
        }
    }

    /// <summary>The latest voucher accepted on a channel, or null when the node accepted none.</summary>
    public ChannelVoucherState? Find(Bytes32 channelId)
    {
        lock (_gate)
        {
            using var command = _connection.Command(
                "SELECT model_hash, nonce, amount, signature, generations, settled_nonce, settled_amount FROM channel WHERE channel_id = $id",
                ("$id", channelId.ToString()));
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? new ChannelVoucherState(channelId, Bytes32.Parse(reader.GetString(0)), (ulong)reader.GetInt64(1), Amount(reader.GetString(2)),
                    reader.GetString(3), reader.GetInt64(4), (ulong)reader.GetInt64(5), Amount(reader.GetString(6)))
                : null;
        }
    }

    /// <summary>Accepted, settled and pending amounts per channel and per model and token.</summary>
    public EarningsReport Earnings(EvmAddress provider)
    {
        var channels = new List<ChannelEarnings>();
        lock (_gate)
        {
            using var command = _connection.Command(
                "SELECT channel_id, model_hash, creator, token, generations, amount, settled_amount FROM channel ORDER BY first_accepted_at, channel_id");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var accepted = Amount(reader.GetString(5));
                var settled = Amount(reader.GetString(6));
                channels.Add(new ChannelEarnings(Bytes32.Parse(reader.GetString(0)), Bytes32.Parse(reader.GetString(1)),
                    EvmAddress.Parse(reader.GetString(2)), EvmAddress.Parse(reader.GetString(3)), reader.GetInt64(4), accepted, settled, accepted - settled));
            }
        }

        var models = channels
            .GroupBy(c => (c.ModelHash, c.Token))
            .Select(g => new ModelEarnings(g.Key.ModelHash, g.Key.Token, g.Count(), g.Sum(c => c.Generations),
                Sum(g.Select(c => c.Accepted)), Sum(g.Select(c => c.Settled)), Sum(g.Select(c => c.Pending))))
            .ToList();
        return new EarningsReport(provider, channels, models);
    }

    /// <summary>
    /// The channels whose latest voucher is not settled and not in a settlement in flight, that can
    /// still be settled (unexpired at <paramref name="now"/>) and either expire within
    /// <paramref name="settleBeforeExpiry"/> or owe at least <paramref name="threshold"/>; soonest
    /// expiry first, at most <paramref name="max"/>.
    /// </summary>
    public IReadOnlyList<SettlementCandidate> DueForSettlement(DateTimeOffset now, TimeSpan settleBeforeExpiry, BigInteger threshold, int max)
    {
        var due = new List<(long ExpiresAt, SettlementCandidate Candidate)>();
        lock (_gate)
        {
            using var command = _connection.Command("""
                SELECT channel_id, token, model_hash, nonce, amount, signature, settled_amount, expires_at FROM channel
                WHERE nonce > settled_nonce AND settling_id IS NULL AND settle_error IS NULL AND expires_at > $now
                """,
                ("$now", now.ToUnixTimeSeconds()));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var amount = Amount(reader.GetString(4));
                var expiresAt = reader.GetInt64(7);
                if (expiresAt - now.ToUnixTimeSeconds() > settleBeforeExpiry.TotalSeconds && amount - Amount(reader.GetString(6)) < threshold)
                {
                    continue;
                }

                var channelId = Bytes32.Parse(reader.GetString(0));
                due.Add((expiresAt, new SettlementCandidate(channelId, EvmAddress.Parse(reader.GetString(1)), Bytes32.Parse(reader.GetString(2)),
                    new PaymentVoucher(channelId, amount, (ulong)reader.GetInt64(3)), EcdsaSignature.Parse(reader.GetString(5)))));
            }
        }

        return [.. due.OrderBy(d => d.ExpiresAt).Take(max).Select(d => d.Candidate)];
    }

    /// <summary>
    /// Stores a signed settlement transaction and marks its channels as in flight, durably, BEFORE it
    /// is broadcast: after a crash the same signed transaction is looked up (and re-broadcast when the
    /// chain lost it), never signed again.
    /// </summary>
    public long BeginSettlement(string transactionHash, string rawTransaction, IReadOnlyList<PaymentVoucher> vouchers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(vouchers);
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            var id = (long)_connection.Scalar(
                "INSERT INTO settlement (tx_hash, raw_tx, state, signed_at) VALUES ($hash, $raw, $state, $now) RETURNING id",
                ("$hash", transactionHash), ("$raw", rawTransaction), ("$state", Signed), ("$now", now.ToUnixTimeMilliseconds()))!;
            foreach (var voucher in vouchers)
            {
                _connection.Execute("INSERT INTO settlement_voucher (settlement_id, channel_id, nonce, amount) VALUES ($sid, $id, $nonce, $amount)",
                    ("$sid", id), ("$id", voucher.ChannelId.ToString()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)));
                _connection.Execute("UPDATE channel SET settling_id = $sid WHERE channel_id = $id", ("$sid", id), ("$id", voucher.ChannelId.ToString()));
            }

            transaction.Commit();
            return id;
        }
    }

    /// <summary>The settlement transactions signed but not yet known to be mined or failed.</summary>
    public IReadOnlyList<PendingSettlement> PendingSettlements()
    {
        lock (_gate)
        {
            var pending = new List<(long Id, string Hash, string Raw, long SignedAt)>();
            using (var command = _connection.Command("SELECT id, tx_hash, raw_tx, signed_at FROM settlement WHERE state = $state ORDER BY id", ("$state", Signed)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    pending.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
                }
            }

            return [.. pending.Select(p => new PendingSettlement(p.Id, p.Hash, p.Raw, DateTimeOffset.FromUnixTimeMilliseconds(p.SignedAt), SettlementVouchers(p.Id)))];
        }
    }

    /// <summary>Records a mined settlement: its channels' settled nonce and amount become the settled vouchers'.</summary>
    public void CompleteSettlement(long id, ulong blockNumber, BigInteger gasUsed, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _connection.Execute("UPDATE settlement SET state = $state, finished_at = $now, block_number = $block, gas_used = $gas WHERE id = $sid",
                ("$state", Mined), ("$now", now.ToUnixTimeMilliseconds()), ("$block", (long)blockNumber), ("$gas", Text(gasUsed)), ("$sid", id));
            foreach (var voucher in SettlementVouchers(id))
            {
                _connection.Execute("UPDATE channel SET settled_nonce = $nonce, settled_amount = $amount WHERE channel_id = $id AND settled_nonce < $nonce",
                    ("$id", voucher.ChannelId.ToString()), ("$nonce", (long)voucher.Nonce), ("$amount", Text(voucher.CumulativeAmount)));
            }

            _connection.Execute("UPDATE channel SET settling_id = NULL WHERE settling_id = $sid", ("$sid", id));
            transaction.Commit();
        }
    }

    /// <summary>Records a settlement that reverted or can never be mined; its channels become due again.</summary>
    public void FailSettlement(long id, string error, DateTimeOffset now)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _connection.Execute("UPDATE settlement SET state = $state, finished_at = $now, error = $error WHERE id = $sid",
                ("$state", Failed), ("$now", now.ToUnixTimeMilliseconds()), ("$error", error), ("$sid", id));
            _connection.Execute("UPDATE channel SET settling_id = NULL WHERE settling_id = $sid", ("$sid", id));
            transaction.Commit();
        }
    }

    /// <summary>
    /// Records what the chain shows as settled on a channel (by an earlier transaction of this node
    /// whose outcome was not recorded, or by the provider's account from elsewhere), so that the
    /// worker never submits a voucher the chain already has.
    /// </summary>
    public void RecordChainSettled(Bytes32 channelId, ulong lastNonce, BigInteger paid)
    {
        lock (_gate)
        {
            _connection.Execute("UPDATE channel SET settled_nonce = $nonce, settled_amount = $amount WHERE channel_id = $id AND settled_nonce < $nonce",
                ("$id", channelId.ToString()), ("$nonce", (long)lastNonce), ("$amount", Text(paid)));
        }
    }

    /// <summary>Keeps a channel out of settlement until a new voucher is accepted on it: the contract refused its voucher (the reason is kept).</summary>
    public void MarkUnsettleable(Bytes32 channelId, string error)
    {
        lock (_gate)
        {
            _connection.Execute("UPDATE channel SET settle_error = $error WHERE channel_id = $id", ("$id", channelId.ToString()), ("$error", error));
        }
    }

    /// <summary>Every settlement transaction, oldest first.</summary>
    public IReadOnlyList<SettlementRecord> Settlements()
    {
        lock (_gate)
        {
            using var command = _connection.Command("""
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

            return settlements;
        }
    }

    /// <summary>How many vouchers were accepted in total (history rows).</summary>
    public long AcceptedCount()
    {
        lock (_gate)
        {
            return (long)_connection.Scalar("SELECT COUNT(*) FROM voucher")!;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private List<PaymentVoucher> SettlementVouchers(long id)
    {
        using var command = _connection.Command("SELECT channel_id, nonce, amount FROM settlement_voucher WHERE settlement_id = $sid ORDER BY channel_id", ("$sid", id));
        using var reader = command.ExecuteReader();
        var vouchers = new List<PaymentVoucher>();
        while (reader.Read())
        {
            vouchers.Add(new PaymentVoucher(Bytes32.Parse(reader.GetString(0)), Amount(reader.GetString(2)), (ulong)reader.GetInt64(1)));
        }

        return vouchers;
    }

    private static BigInteger Sum(IEnumerable<BigInteger> amounts) => amounts.Aggregate(BigInteger.Zero, (sum, a) => sum + a);

    // Amounts are uint256: stored as decimal text, compared in code (SQLite integers stop at 2^63).
    private static string Text(BigInteger amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static BigInteger Amount(string text) => BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
}
