using System.Text;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Watermarking.Enrollment;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Watermarking.Tests.Enrollment;

public sealed class EnrolledWatermarkKeyTests
{
    private static readonly ContractDomain Ledger = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);
    private readonly EthECKey _node = EthECKey.GenerateKey();
    private readonly WatermarkKey _key = WatermarkKey.Generate();

    [Fact]
    public void VerifyFor_AfterAFileRoundTrip_NamesTheSigningNode()
    {
        var enrolled = EnrolledWatermarkKey.Create(_key, _node, Ledger, Now);

        var read = EnrolledWatermarkKey.Parse(enrolled.ToJsonBytes());

        Assert.Equal(EvmAddress.Parse(_node.GetPublicAddress()), read.VerifyFor(Ledger));
        Assert.Equal(_key.ToHex(), read.Key.ToHex());
        Assert.Equal(WatermarkIds.ForEnrollment(_key), read.Enrollment.KeyId);
    }

    [Fact]
    public void VerifyFor_EnrollmentNamingAnotherNode_IsRefused()
    {
        // Someone holding a key claims it for a node whose signing key they do not have.
        var enrolled = EnrolledWatermarkKey.Create(_key, EthECKey.GenerateKey(), Ledger, Now);
        var victim = EvmAddress.Parse(_node.GetPublicAddress());
        var forged = enrolled with { Enrollment = enrolled.Enrollment with { Node = victim } };

        var e = Assert.Throws<InvalidWatermarkEnrollmentException>(() => forged.VerifyFor(Ledger));
        Assert.Contains("was signed by", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyFor_AnotherKeyPutInAGenuineEnrollment_IsRefused()
    {
        var enrolled = EnrolledWatermarkKey.Create(_key, _node, Ledger, Now);
        var swapped = enrolled with { Key = WatermarkKey.Generate() };

        var e = Assert.Throws<InvalidWatermarkEnrollmentException>(() => swapped.VerifyFor(Ledger));
        Assert.DoesNotContain(swapped.Key.ToHex()[2..], e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1, "0x00000000000000000000000000000000000000a2")]
    [InlineData(31337, "0x00000000000000000000000000000000000000a3")]
    public void VerifyFor_EnrollmentForAnotherChainOrLedger_IsRefused(long chainId, string ledger)
    {
        var other = ContractDomain.ForProvenanceLedger(chainId, EvmAddress.Parse(ledger));
        var enrolled = EnrolledWatermarkKey.Create(_key, _node, other, Now);

        Assert.Throws<InvalidWatermarkEnrollmentException>(() => enrolled.VerifyFor(Ledger));
        // Relabelling the domain in the file does not help: the signature was made in the other one.
        Assert.Throws<InvalidWatermarkEnrollmentException>(() => (enrolled with { Domain = Ledger }).VerifyFor(Ledger));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("{\"node\":\"0x1\"}")]
    public void Parse_NotAnEnrollment_ThrowsItsOwnException(string json) =>
        Assert.Throws<InvalidWatermarkEnrollmentException>(() => EnrolledWatermarkKey.Parse(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void Parse_DamagedSignature_ThrowsWithoutQuotingTheKey()
    {
        var json = Encoding.UTF8.GetString(EnrolledWatermarkKey.Create(_key, _node, Ledger, Now).ToJsonBytes());
        var damaged = System.Text.RegularExpressions.Regex.Replace(json, "\"signature\": \"0x[0-9a-f]+\"", "\"signature\": \"0x1234\"");

        var e = Assert.Throws<InvalidWatermarkEnrollmentException>(() => EnrolledWatermarkKey.Parse(Encoding.UTF8.GetBytes(damaged)));
        Assert.DoesNotContain(_key.ToHex()[2..], e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
