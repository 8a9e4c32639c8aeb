using System.Text;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using MobileAigc.Provenance.Credentials.Certificates;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Credentials.Tests.Certificates;

public sealed class CertificateBindingTests
{
    private static readonly ContractDomain Registry =
        ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    [Fact]
    public void Sign_ThenJsonRoundTrip_VerifiesToTheNode()
    {
        using var pki = new TestPki();
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);

        var read = CertificateBinding.Parse(binding.ToJsonBytes());

        Assert.Equal(pki.Node, read.Verify(pki.Leaf, Registry));
        Assert.Equal(binding.ToJsonBytes(), read.ToJsonBytes());
        Assert.Equal(Bytes32.Sha256(pki.Leaf.RawData), read.Signed.Statement.CertificateHash);
    }

    [Fact]
    public void Verify_AnotherCertificate_IsRefused()
    {
        using var pki = new TestPki();
        using var other = pki.Authority.IssueNodeCertificate(pki.Node, pki.SigningKey, TimeSpan.FromDays(30), pki.Time);
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);

        Assert.Throws<InvalidCertificateBindingException>(() => binding.Verify(other, Registry));
    }

    [Fact]
    public void Verify_AnotherChainIdOrRegistry_IsRefused()
    {
        using var pki = new TestPki();
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);
        var otherChain = binding with { Domain = Registry with { ChainId = 1 } };

        Assert.Throws<InvalidCertificateBindingException>(() => binding.Verify(pki.Leaf, Registry with { ChainId = 1 }));
        Assert.Throws<InvalidCertificateBindingException>(() => otherChain.Verify(pki.Leaf, Registry with { ChainId = 1 }));
        Assert.Throws<InvalidCertificateBindingException>(() => binding.Verify(pki.Leaf,
            Registry with { VerifyingContract = EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512") }));
    }

    [Fact]
    public void Verify_ClaimingAnotherNode_IsRefused()
    {
        using var pki = new TestPki();
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);
        var otherNode = EvmAddress.Parse(EthECKey.GenerateKey().GetPublicAddress());
        var tampered = binding with { Signed = binding.Signed with { Statement = binding.Signed.Statement with { Node = otherNode } } };

        var e = Assert.Throws<InvalidCertificateBindingException>(() => tampered.Verify(pki.Leaf, Registry));
        Assert.Contains("signed by", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AnotherNodesKeyBindingACertificateNamingThisNode_IsRefused()
    {
        using var pki = new TestPki();
        var thief = EthECKey.GenerateKey();

        var binding = CertificateBinding.Sign(pki.Leaf, thief, Registry);

        var e = Assert.Throws<InvalidCertificateBindingException>(() => binding.Verify(pki.Leaf, Registry));
        Assert.Contains("names node", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EveryFlippedBitOfR_IsRefused_AsABinding()
    {
        using var pki = new TestPki();
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);

        // Some flips leave r no curve point's x (no key recovers), others recover another key: both refused the same way.
        for (var bit = 0; bit < 256; bit += 5)
        {
            var bytes = binding.Signed.Signature.ToArray();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var tampered = binding with { Signed = binding.Signed with { Signature = EcdsaSignature.FromBytes(bytes) } };

            Assert.Throws<InvalidCertificateBindingException>(() => tampered.Verify(pki.Leaf, Registry));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"node\":\"0x12\",\"certificateHash\":\"0x00\",\"signature\":\"0x\",\"name\":\"a\",\"version\":\"1\",\"chainId\":\"-1\",\"verifyingContract\":\"0x\"}")]
    public void Parse_NotABinding_IsAnInvalidBinding(string json) =>
        Assert.Throws<InvalidCertificateBindingException>(() => CertificateBinding.Parse(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Sign_TheStatementIsTheCoreTypedData()
    {
        using var pki = new TestPki();
        var binding = CertificateBinding.Sign(pki.Leaf, pki.NodeKey, Registry);

        Assert.Equal(pki.Node, CredentialSigningKeyTypedData.RecoverSigner(binding.Signed.Statement, Registry, binding.Signed.Signature));
    }
}
