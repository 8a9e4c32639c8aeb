using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Registry;

public class NodeConsentTypedDataTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    [Fact]
    public void Sign_ThenRecover_GivesTheNodeKey()
    {
        var key = EthECKey.GenerateKey();
        var consent = new NodeConsent(TestRecords.AddressOf(key), TestRecords.AddressOf(EthECKey.GenerateKey()), 0, 1_800_000_000);

        var signed = NodeConsentTypedData.Sign(consent, Domain, key);

        Assert.Equal(consent.Node, NodeConsentTypedData.RecoverSigner(consent, Domain, signed.Signature));
    }

    [Fact]
    public void RecoverSigner_AnotherOperatorNonceChainOrRegistry_GivesAnotherAddress()
    {
        var key = EthECKey.GenerateKey();
        var consent = new NodeConsent(TestRecords.AddressOf(key), TestRecords.AddressOf(EthECKey.GenerateKey()), 4, 1_800_000_000);
        var signature = NodeConsentTypedData.Sign(consent, Domain, key).Signature;

        Assert.NotEqual(consent.Node, NodeConsentTypedData.RecoverSigner(consent with { Operator = TestRecords.AddressOf(EthECKey.GenerateKey()) }, Domain, signature));
        Assert.NotEqual(consent.Node, NodeConsentTypedData.RecoverSigner(consent with { Nonce = 5 }, Domain, signature));
        Assert.NotEqual(consent.Node, NodeConsentTypedData.RecoverSigner(consent, Domain with { ChainId = 1 }, signature));
        Assert.NotEqual(consent.Node, NodeConsentTypedData.RecoverSigner(
            consent, Domain with { VerifyingContract = EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512") }, signature));
    }

    [Fact]
    public void Sign_WithAnotherKeyThanTheNodes_Throws()
    {
        var consent = new NodeConsent(TestRecords.AddressOf(EthECKey.GenerateKey()), TestRecords.AddressOf(EthECKey.GenerateKey()), 0, 1);

        Assert.Throws<ArgumentException>(() => NodeConsentTypedData.Sign(consent, Domain, EthECKey.GenerateKey()));
    }
}
