using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Payments;

public class PaymentVoucherTypedDataTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));

    [Fact]
    public void Sign_ThenRecover_GivesTheCreator()
    {
        var creator = EthECKey.GenerateKey();
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 1_000_000_000_000_000, 7);

        var signature = PaymentVoucherTypedData.Sign(voucher, Domain, creator);

        Assert.Equal(TestRecords.AddressOf(creator), PaymentVoucherTypedData.RecoverSigner(voucher, Domain, signature));
    }

    [Fact]
    public void RecoverSigner_RaisedAmount_GivesAnotherAddress()
    {
        var creator = EthECKey.GenerateKey();
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 100, 1);
        var signature = PaymentVoucherTypedData.Sign(voucher, Domain, creator);

        Assert.NotEqual(
            TestRecords.AddressOf(creator),
            PaymentVoucherTypedData.RecoverSigner(voucher with { CumulativeAmount = 101 }, Domain, signature));
    }

    [Fact]
    public void Digest_DependsOnTheChainId()
    {
        var voucher = new PaymentVoucher(TestRecords.RandomBytes32(), 5, 1);

        Assert.NotEqual(
            PaymentVoucherTypedData.Digest(voucher, Domain),
            PaymentVoucherTypedData.Digest(voucher, Domain with { ChainId = 1 }));
    }
}
