using System.Numerics;
using System.Text;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Signer;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Tests.Registry;

public class CredentialSigningKeyTypedDataTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    [Fact]
    public void Sign_ThenRecover_GivesTheNodeKey()
    {
        var key = EthECKey.GenerateKey();
        var statement = new CredentialSigningKey(TestRecords.AddressOf(key), TestRecords.RandomBytes32());

        var signed = CredentialSigningKeyTypedData.Sign(statement, Domain, key);

        Assert.Equal(statement.Node, CredentialSigningKeyTypedData.RecoverSigner(statement, Domain, signed.Signature));
    }

    [Fact]
    public void RecoverSigner_AnotherCertificateNodeChainOrRegistry_GivesAnotherAddress()
    {
        var key = EthECKey.GenerateKey();
        var statement = new CredentialSigningKey(TestRecords.AddressOf(key), TestRecords.RandomBytes32());
        var signature = CredentialSigningKeyTypedData.Sign(statement, Domain, key).Signature;

        Assert.NotEqual(statement.Node, CredentialSigningKeyTypedData.RecoverSigner(statement with { CertificateHash = TestRecords.RandomBytes32() }, Domain, signature));
        Assert.NotEqual(statement.Node, CredentialSigningKeyTypedData.RecoverSigner(statement with { Node = TestRecords.AddressOf(EthECKey.GenerateKey()) }, Domain, signature));
        Assert.NotEqual(statement.Node, CredentialSigningKeyTypedData.RecoverSigner(statement, Domain with { ChainId = 1 }, signature));
        Assert.NotEqual(statement.Node, CredentialSigningKeyTypedData.RecoverSigner(
            statement, Domain with { VerifyingContract = EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512") }, signature));
    }

    [Fact]
    public void RecoverSigner_ManyKeysAndStatements_AgreesWithNethereumsRecovery()
    {
        for (var i = 0; i < 16; i++)
        {
            var key = EthECKey.GenerateKey();
            var statement = new CredentialSigningKey(TestRecords.AddressOf(key), TestRecords.RandomBytes32());
            var signature = CredentialSigningKeyTypedData.Sign(statement, Domain, key).Signature;
            var other = statement with { CertificateHash = TestRecords.RandomBytes32() };
            var bytes = signature.ToArray();
            var reference = EthECKey.RecoverFromSignature(
                EthECDSASignatureFactory.FromComponents(bytes[..32], bytes[32..64], bytes[64]), CredentialSigningKeyTypedData.Digest(other, Domain).ToArray());

            Assert.Equal(TestRecords.AddressOf(reference), CredentialSigningKeyTypedData.RecoverSigner(other, Domain, signature));
        }
    }

    [Fact]
    public void RecoverSigner_RIsNoCurvePointsX_ThrowsInvalidSignature()
    {
        // r = 5 is not the x of a secp256k1 point (5³ + 7 = 132 is no square modulo p), so no key recovers.
        var bytes = new byte[65];
        bytes[31] = 5;
        bytes[63] = 1;
        bytes[64] = 27;

        Assert.Throws<InvalidSignatureException>(() => CredentialSigningKeyTypedData.RecoverSigner(
            new CredentialSigningKey(TestRecords.AddressOf(EthECKey.GenerateKey()), TestRecords.RandomBytes32()), Domain, EcdsaSignature.FromBytes(bytes)));
    }

    [Fact]
    public void Sign_WithAnotherKeyThanTheNodes_Throws()
    {
        var statement = new CredentialSigningKey(TestRecords.AddressOf(EthECKey.GenerateKey()), TestRecords.RandomBytes32());

        Assert.Throws<ArgumentException>(() => CredentialSigningKeyTypedData.Sign(statement, Domain, EthECKey.GenerateKey()));
    }

    [Fact]
    public void Digest_IsTheEip712DigestOfTheTypeString_ComputedByHand()
    {
        var statement = new CredentialSigningKey(EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"), Bytes32.Sha256("certificate"u8));

        var typeHash = Keccak(Encoding.ASCII.GetBytes(CredentialSigningKeyTypedData.TypeString));
        var structHash = Keccak([.. typeHash, .. Word(statement.Node.ToBytes()), .. statement.CertificateHash.AsSpan()]);
        var domainTypeHash = Keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"u8.ToArray());
        var separator = Keccak([.. domainTypeHash, .. Keccak("MobileAigcModelRegistry"u8.ToArray()), .. Keccak("1"u8.ToArray()),
            .. Word(new BigInteger(31337).ToByteArray(isUnsigned: true, isBigEndian: true)), .. Word(Domain.VerifyingContract.ToBytes())]);
        var expected = Keccak([0x19, 0x01, .. separator, .. structHash]);

        Assert.Equal(Bytes32.FromBytes(expected), CredentialSigningKeyTypedData.Digest(statement, Domain));
    }

    private static byte[] Keccak(byte[] data) => Sha3Keccack.Current.CalculateHash(data);

    private static byte[] Word(ReadOnlySpan<byte> value)
    {
        var word = new byte[32];
        value.CopyTo(word.AsSpan(32 - value.Length));
        return word;
    }
}
