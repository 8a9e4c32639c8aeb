using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

public class EcdsaSignatureTests
{
    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber);

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    [InlineData(66)]
    public void FromBytes_WrongLength_Throws(int length) =>
        Assert.Throws<InvalidSignatureException>(() => EcdsaSignature.FromBytes(new byte[length]));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(29)]
    public void FromBytes_BadV_Throws(byte v)
    {
        var bytes = ValidSignature().ToArray();
        bytes[64] = v;

        Assert.Throws<InvalidSignatureException>(() => EcdsaSignature.FromBytes(bytes));
    }

    [Fact]
    public void FromBytes_MalleableHighS_Throws()
    {
        // (r, n - s, v ^ 1) verifies the same message under plain ECDSA; OpenZeppelin refuses it.
        var bytes = ValidSignature().ToArray();
        var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true).CopyTo(bytes.AsSpan(32, 32));
        bytes[64] ^= 0b11;

        Assert.Throws<InvalidSignatureException>(() => EcdsaSignature.FromBytes(bytes));
    }

    [Fact]
    public void Parse_NotHex_Throws() =>
        Assert.Throws<InvalidSignatureException>(() => EcdsaSignature.Parse("0xnothex"));

    private static EcdsaSignature ValidSignature()
    {
        var key = EthECKey.GenerateKey();
        var domain = ContractDomain.ForProvenanceLedger(1, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        return ProvenanceRecordTypedData.Sign(TestRecords.Random(TestRecords.AddressOf(key)), domain, key);
    }
}
