using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

public class DeliveredFileTypedDataTests
{
    private static readonly ContractDomain Ledger =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();

    [Fact]
    public void RecoverSigner_IsTheNode_AndSomeoneElseForAnyChange()
    {
        var node = TestRecords.AddressOf(_nodeKey);
        var file = new DeliveredFile(TestRecords.RandomBytes32(), TestRecords.RandomBytes32());
        var signed = DeliveredFileTypedData.Sign(file, Ledger, _nodeKey);

        Assert.Equal(node, DeliveredFileTypedData.RecoverSigner(signed, Ledger));
        Assert.NotEqual(node, DeliveredFileTypedData.RecoverSigner(signed with { File = file with { FileHash = TestRecords.RandomBytes32() } }, Ledger));
        Assert.NotEqual(node, DeliveredFileTypedData.RecoverSigner(signed with { File = file with { Record = TestRecords.RandomBytes32() } }, Ledger));
        Assert.NotEqual(node, DeliveredFileTypedData.RecoverSigner(signed, Ledger with { ChainId = 1 }));
    }

    [Fact]
    public void Digest_DiffersFromTheRecordDigestOfTheSameWords()
    {
        var file = new DeliveredFile(TestRecords.RandomBytes32(), TestRecords.RandomBytes32());

        Assert.NotEqual(DeliveredFileTypedData.Digest(file, Ledger), DeliveredFileTypedData.Digest(file with { Record = file.FileHash, FileHash = file.Record }, Ledger));
    }
}
