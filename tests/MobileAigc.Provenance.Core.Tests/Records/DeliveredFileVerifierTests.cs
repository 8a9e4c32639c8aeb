using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

public class DeliveredFileVerifierTests
{
    private static readonly ContractDomain Ledger =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    public static TheoryData<bool> RecoveryPaths => new() { true, false };

    [Fact]
    public void Digest_RandomStatements_EqualsTheNethereumDigestByteForByte()
    {
        var verifier = new DeliveredFileVerifier(Ledger);
        for (var i = 0; i < 100; i++)
        {
            var file = new DeliveredFile(TestRecords.RandomBytes32(), TestRecords.RandomBytes32());

            Assert.Equal(DeliveredFileTypedData.Digest(file, Ledger), verifier.Digest(file));
        }
    }

    [Theory]
    [MemberData(nameof(RecoveryPaths))]
    public void TryRecoverSigner_SignedStatements_EqualsTheNethereumSigner(bool native)
    {
        var verifier = new DeliveredFileVerifier(Ledger, preferNativeRecovery: native);
        for (var i = 0; i < 20; i++)
        {
            var key = EthECKey.GenerateKey();
            var signed = DeliveredFileTypedData.Sign(new DeliveredFile(TestRecords.RandomBytes32(), TestRecords.RandomBytes32()), Ledger, key);

            Assert.True(verifier.TryRecoverSigner(signed, out var signer));
            Assert.Equal(DeliveredFileTypedData.RecoverSigner(signed, Ledger), signer);
            Assert.True(verifier.IsSignedBy(signed, TestRecords.AddressOf(key)));
        }
    }

    [Fact]
    public void IsSignedBy_ChangedFieldAnotherDomainOrAnotherNode_IsFalse()
    {
        var key = EthECKey.GenerateKey();
        var node = TestRecords.AddressOf(key);
        var file = new DeliveredFile(TestRecords.RandomBytes32(), TestRecords.RandomBytes32());
        var signed = DeliveredFileTypedData.Sign(file, Ledger, key);
        var verifier = new DeliveredFileVerifier(Ledger);

        Assert.False(verifier.IsSignedBy(signed with { File = file with { FileHash = TestRecords.RandomBytes32() } }, node));
        Assert.False(verifier.IsSignedBy(signed with { File = file with { Record = TestRecords.RandomBytes32() } }, node));
        Assert.False(new DeliveredFileVerifier(Ledger with { ChainId = 1 }).IsSignedBy(signed, node));
        Assert.False(verifier.IsSignedBy(signed, TestRecords.AddressOf(EthECKey.GenerateKey())));
        Assert.False(verifier.IsSignedBy(signed, EvmAddress.Zero));
    }
}
