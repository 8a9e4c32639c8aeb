using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Payments;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

public sealed class PaymentsDatabaseTests : IDisposable
{
    private static readonly EvmAddress Provider = EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private readonly TempDirectory _dir = new();

    [Fact]
    public void Open_UnversionedFileOfThePreviousRelease_KeepsItsVouchersAndSettlements()
    {
        var path = _dir.File("payments.db");
        var channel = ScratchPayments.Channel();
        using var signer = new ScratchPayments();
        var (voucher, signature) = signer.Voucher(channel, 20, 2);
        // The schema as the node wrote it before it was versioned (user_version 0): one channel with
        // two accepted vouchers, the latest of them in a settlement signed but not yet mined.
        SqliteFile.Run(path, $"""
            CREATE TABLE provider (address TEXT NOT NULL);
            CREATE TABLE channel (
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
            CREATE TABLE voucher (
                channel_id TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                delta TEXT NOT NULL,
                price TEXT NOT NULL,
                model_hash TEXT NOT NULL,
                signature TEXT NOT NULL,
                accepted_at INTEGER NOT NULL,
                PRIMARY KEY (channel_id, nonce));
            CREATE TABLE settlement (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                tx_hash TEXT NOT NULL UNIQUE,
                raw_tx TEXT NOT NULL,
                state TEXT NOT NULL,
                signed_at INTEGER NOT NULL,
                finished_at INTEGER,
                block_number INTEGER,
                gas_used TEXT,
                error TEXT);
            CREATE TABLE settlement_voucher (
                settlement_id INTEGER NOT NULL REFERENCES settlement (id),
                channel_id TEXT NOT NULL,
                nonce INTEGER NOT NULL,
                amount TEXT NOT NULL,
                PRIMARY KEY (settlement_id, channel_id));
            INSERT INTO provider VALUES ('{Provider}');
            INSERT INTO channel (channel_id, model_hash, creator, token, expires_at, nonce, amount, signature, generations, first_accepted_at, settling_id)
                VALUES ('{channel.ChannelId}', '{Bytes32.Zero}', '{EvmAddress.Zero}', '{EvmAddress.Zero}', {channel.ExpiresAt.ToUnixTimeSeconds()},
                        2, '20', '{signature}', 2, 1764331200000, 1);
            INSERT INTO voucher VALUES ('{channel.ChannelId}', 1, '10', '10', '10', '{Bytes32.Zero}', '0x00', 1764331200000);
            INSERT INTO voucher VALUES ('{channel.ChannelId}', 2, '20', '10', '10', '{Bytes32.Zero}', '{signature}', 1764331260000);
            INSERT INTO settlement (tx_hash, raw_tx, state, signed_at) VALUES ('0xab', '0xcd', 'signed', 1764331300000);
            INSERT INTO settlement_voucher VALUES (1, '{channel.ChannelId}', 2, '20');
            """);

        using (var database = PaymentsDatabase.Open(path, Provider))
        {
            var vouchers = new VoucherBook(database);
            var settlements = new SettlementJournal(database);

            Assert.Equal((2UL, new BigInteger(20), signature.ToString(), 2L), (vouchers.Find(channel.ChannelId)!.Nonce,
                vouchers.Find(channel.ChannelId)!.CumulativeAmount, vouchers.Find(channel.ChannelId)!.Signature, vouchers.Find(channel.ChannelId)!.Generations));
            Assert.Equal(2, vouchers.AcceptedCount());
            Assert.Equal([voucher], Assert.Single(settlements.Pending()).Vouchers);
            Assert.False(vouchers.Release(channel.ChannelId, 2)); // carried by the settlement in flight
            settlements.Complete(1, 7, 50_000, ScratchPayments.Now);
            Assert.Equal(new BigInteger(20), Assert.Single(vouchers.Earnings(Provider).Models).Settled);
        }

        Assert.Equal(3L, SqliteFile.UserVersion(path));
        using var reopened = PaymentsDatabase.Open(path, Provider);
        Assert.Equal("mined", new SettlementJournal(reopened).All().Single().State);
    }

    [Fact]
    public void Open_NewFile_IsAtTheLatestVersion()
    {
        var path = _dir.File("data/payments.db");

        using (PaymentsDatabase.Open(path, Provider))
        {
        }

        Assert.Equal(3L, SqliteFile.UserVersion(path));
        Assert.Equal("wal", SqliteFile.Run(path, "PRAGMA journal_mode"));
    }

    [Fact]
    public void Open_FileOfAnotherProvider_Throws()
    {
        var path = _dir.File("payments.db");
        using (PaymentsDatabase.Open(path, Provider))
        {
        }

        var error = Assert.Throws<InvalidOperationException>(() => PaymentsDatabase.Open(path, EvmAddress.Zero));

        Assert.Contains("belongs to provider", error.Message);
    }

    [Fact]
    public void Open_FileOfANewerNode_ThrowsAndLeavesItAlone()
    {
        var path = _dir.File("payments.db");
        using (PaymentsDatabase.Open(path, Provider))
        {
        }

        SqliteFile.Run(path, "PRAGMA user_version = 4");

        var error = Assert.Throws<InvalidOperationException>(() => PaymentsDatabase.Open(path, Provider));
        Assert.Contains("schema version 4", error.Message);
        Assert.Equal(4L, SqliteFile.UserVersion(path));
    }

    public void Dispose() => _dir.Dispose();
}
