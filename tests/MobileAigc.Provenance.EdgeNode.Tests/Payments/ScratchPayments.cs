using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Payments;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests.Payments;

/// <summary>A payments database in a fresh folder, with its voucher book and settlement journal, and vouchers signed for it.</summary>
public sealed class ScratchPayments : IDisposable
{
    private static readonly ContractDomain Domain = ContractDomain.ForPaymentChannels(1, EvmAddress.Zero);
    private readonly TempDirectory _dir = new();
    private readonly EthECKey _creator = EthECKey.GenerateKey();

    public ScratchPayments(EvmAddress? provider = null)
    {
        Database = PaymentsDatabase.Open(Path, provider ?? EvmAddress.Zero);
        Vouchers = new VoucherBook(Database);
        Settlements = new SettlementJournal(Database);
    }

    public static DateTimeOffset Now { get; } = DateTimeOffset.Parse("2026-11-28T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public string Path => _dir.File("payments.db");

    public PaymentsDatabase Database { get; }

    public VoucherBook Vouchers { get; }

    public SettlementJournal Settlements { get; }

    /// <summary>The chain's view of a fresh channel: nothing settled, deposit 10^18, expiring at <paramref name="expiresAt"/> (default a day from <see cref="Now"/>).</summary>
    public static ChannelFacts Channel(DateTimeOffset? expiresAt = null, Bytes32? modelHash = null) =>
        new(PaymentChainFixture.RandomChannelId(), EvmAddress.Zero, EvmAddress.Zero, EvmAddress.Zero, EvmAddress.Zero, modelHash ?? Bytes32.Zero,
            BigInteger.Pow(10, 18), 0, expiresAt ?? Now.AddDays(1), 0, false, 1);

    /// <summary>A voucher on <paramref name="channel"/> and its signature.</summary>
    public (PaymentVoucher Voucher, EcdsaSignature Signature) Voucher(ChannelFacts channel, BigInteger amount, ulong nonce)
    {
        var voucher = new PaymentVoucher(channel.ChannelId, amount, nonce);
        return (voucher, PaymentVoucherTypedData.Sign(voucher, Domain, _creator));
    }

    /// <summary>Offers the voucher (<paramref name="amount"/>, <paramref name="nonce"/>) at <paramref name="price"/> to the book.</summary>
    public VoucherRefusal? Offer(ChannelFacts channel, BigInteger amount, ulong nonce, BigInteger price)
    {
        var (voucher, signature) = Voucher(channel, amount, nonce);
        return Vouchers.TryAccept(channel, voucher, signature, price, Now);
    }

    public void Dispose()
    {
        Database.Dispose();
        _dir.Dispose();
    }
}
