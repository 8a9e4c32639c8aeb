using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Payments;

public class PaymentVoucherVerifierTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));

    public static TheoryData<bool> RecoveryPaths => new() { true, false };

    [Fact]
    public void Digest_RandomVouchers_EqualsTheNethereumDigestByteForByte()
    {
        var verifier = new PaymentVoucherVerifier(Domain);
        var random = new Random(712);
        foreach (var amount in Amounts(random).Take(200))
        {
            var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), amount, (ulong)random.NextInt64() * 2 + (ulong)random.Next(2));

            Assert.Equal(PaymentVoucherTypedData.Digest(voucher, Domain), verifier.Digest(voucher));
        }
    }

    [Theory]
    [MemberData(nameof(RecoveryPaths))]
    public void TryRecoverSigner_SignedVouchers_EqualsTheNethereumSigner(bool native)
    {
        var verifier = new PaymentVoucherVerifier(Domain, preferNativeRecovery: native);
        for (var i = 0; i < 20; i++)
        {
            var key = EthECKey.GenerateKey();
            var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), BigInteger.Pow(10, 15) * i, (ulong)i + 1);
            var signature = PaymentVoucherTypedData.Sign(voucher, Domain, key);

            Assert.True(verifier.TryRecoverSigner(voucher, signature, out var signer));
            Assert.Equal(PaymentVoucherTypedData.RecoverSigner(voucher, Domain, signature), signer);
            Assert.True(verifier.IsSignedBy(voucher, signature, TestRecords.AddressOf(key).ToBytes()));
        }
    }

    [Fact]
    public void IsSignedBy_AlteredAmountOrNonce_IsFalse()
    {
        var key = EthECKey.GenerateKey();
        var verifier = new PaymentVoucherVerifier(Domain);
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 1_000, 3);
        var signature = PaymentVoucherTypedData.Sign(voucher, Domain, key);
        var creator = TestRecords.AddressOf(key).ToBytes();

        Assert.False(verifier.IsSignedBy(voucher with { CumulativeAmount = 1_001 }, signature, creator));
        Assert.False(verifier.IsSignedBy(voucher with { Nonce = 4 }, signature, creator));
    }

    [Fact]
    public void IsSignedBy_VoucherSignedForAnotherChain_IsFalse()
    {
        var key = EthECKey.GenerateKey();
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 1_000, 1);
        var signature = PaymentVoucherTypedData.Sign(voucher, Domain with { ChainId = 1 }, key);

        Assert.False(new PaymentVoucherVerifier(Domain).IsSignedBy(voucher, signature, TestRecords.AddressOf(key).ToBytes()));
        Assert.True(new PaymentVoucherVerifier(Domain with { ChainId = 1 }).IsSignedBy(voucher, signature, TestRecords.AddressOf(key).ToBytes()));
    }

    [Fact]
    public void Digest_AmountAboveUint256_Throws()
    {
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), BigInteger.Pow(2, 256), 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => new PaymentVoucherVerifier(Domain).Digest(voucher));
    }

    private static IEnumerable<BigInteger> Amounts(Random random)
    {
        yield return BigInteger.Zero;
        yield return BigInteger.Pow(2, 256) - 1;
        while (true)
        {
            var bytes = new byte[random.Next(1, 33)];
            random.NextBytes(bytes);
            yield return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        }
    }
}
