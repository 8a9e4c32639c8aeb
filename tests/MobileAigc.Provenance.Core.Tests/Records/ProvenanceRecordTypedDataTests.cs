using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Tests.Records;

public class ProvenanceRecordTypedDataTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();

    [Fact]
    public void Sign_ThenRecover_GivesTheNode()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));

        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);

        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(record, Domain, signature));
    }

    [Fact]
    public void RecoverSigner_AnyFieldChanged_GivesAnotherAddress()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);

        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(record with { Sequence = 2 }, Domain, signature));
        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(
            record with { ContentHash = TestRecords.RandomBytes32() }, Domain, signature));
    }

    [Fact]
    public void RecoverSigner_VersionOrExtensionsChanged_GivesAnotherAddress()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);

        Assert.Equal(ProvenanceRecordVersions.Current, record.Version);
        Assert.True(record.Extensions.IsZero);
        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(record with { Version = 2 }, Domain, signature));
        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(record with { Extensions = TestRecords.RandomBytes32() }, Domain, signature));
    }

    [Fact]
    public void RecoverSigner_OtherChainOrContract_GivesAnotherAddress()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);

        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(record, Domain with { ChainId = 1 }, signature));
        Assert.False(ProvenanceRecordTypedData.IsSignedByNode(
            record, Domain with { VerifyingContract = TestRecords.AddressOf(EthECKey.GenerateKey()) }, signature));
    }

    [Fact]
    public void TypeString_HashesToTheTypehashTheDigestUses()
    {
        // The digest is keccak(0x1901 ‖ domainSeparator ‖ keccak(typehash ‖ fields)); recomputing it
        // by hand from the documented type string pins the encoding to the documented type.
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with { Version = 0x0102, Extensions = TestRecords.RandomBytes32() };
        var keccak = Sha3Keccack.Current;
        var typeHash = keccak.CalculateHash(System.Text.Encoding.ASCII.GetBytes(ProvenanceRecordTypedData.TypeString));
        var fields = new List<byte[]>
        {
            typeHash, Word(record.Version), record.ContentHash.ToArray(), record.PerceptualHash.ToArray(), record.ModelHash.ToArray(),
            Word(record.Node.ToBytes()), Word(record.Creator.ToBytes()), record.CreatorCommitment.ToArray(),
            record.PromptCommitment.ToArray(), record.ParametersHash.ToArray(), Word(record.Timestamp),
            record.WatermarkId.ToArray(), Word(record.Sequence), record.Extensions.ToArray(),
        };
        var structHash = keccak.CalculateHash(fields.SelectMany(f => f).ToArray());
        var domainTypeHash = keccak.CalculateHash(System.Text.Encoding.ASCII.GetBytes(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
        var domainSeparator = keccak.CalculateHash([
            .. domainTypeHash,
            .. keccak.CalculateHash(System.Text.Encoding.UTF8.GetBytes(Domain.Name)),
            .. keccak.CalculateHash(System.Text.Encoding.UTF8.GetBytes(Domain.Version)),
            .. Word((ulong)Domain.ChainId),
            .. Word(Domain.VerifyingContract.ToBytes()),
        ]);
        var expected = keccak.CalculateHash([0x19, 0x01, .. domainSeparator, .. structHash]);

        Assert.Equal(Bytes32.FromBytes(expected), ProvenanceRecordTypedData.Digest(record, Domain));
    }

    private static byte[] Word(byte[] address) => [.. new byte[32 - address.Length], .. address];

    private static byte[] Word(ushort value) => Word((ulong)value);

    private static byte[] Word(ulong value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }
}
