using System.Text;
using System.Text.Json;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Tests.Records;

public sealed class ProvenanceRecordVersionsTests
{
    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();

    [Fact]
    public void HashStruct_IsKeccakOfTypehashAndParent()
    {
        var parent = TestRecords.RandomBytes32();
        var keccak = Sha3Keccack.Current;
        var typeHash = keccak.CalculateHash(Encoding.ASCII.GetBytes("ProvenanceRecordExtensionsV2(bytes32 parentRecord)"));

        var expected = Bytes32.FromBytes(keccak.CalculateHash([.. typeHash, .. parent.ToArray()]));

        Assert.Equal(expected, new ProvenanceRecordExtensionsV2(parent).HashStruct());
        Assert.NotEqual(expected, new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()).HashStruct());
    }

    [Fact]
    public void V2Record_SignedWithItsExtensions_RecoversTheNodeAndChecksThroughJson()
    {
        var extensions = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32());
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with { Version = ProvenanceRecordVersions.V2, Extensions = extensions.HashStruct() };
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey)) { ExtensionsV2 = extensions };

        var json = JsonSerializer.Serialize(signed, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<SignedProvenanceRecord>(json, JsonSerializerOptions.Web)!;

        Assert.Contains("\"extensionsV2\":{\"parentRecord\":", json, StringComparison.Ordinal);
        Assert.Equal(extensions, back.ExtensionsV2);
        Assert.Equal(extensions.ParentRecord, back.ParentRecord);
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(back.Record, Domain, back.Signature));
        Assert.Null(ProvenanceRecordVersions.Check(back));
    }

    [Fact]
    public void Check_V2WithOtherParentThanSigned_SaysTheHashesDiffer()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with
        {
            Version = ProvenanceRecordVersions.V2,
            Extensions = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()).HashStruct(),
        };
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey))
        {
            ExtensionsV2 = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()),
        };

        Assert.Contains("not to the record's extensions commitment", ProvenanceRecordVersions.Check(signed), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_V2WithoutExtensionData_IsRefused()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with
        {
            Version = ProvenanceRecordVersions.V2,
            Extensions = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()).HashStruct(),
        };

        Assert.NotNull(ProvenanceRecordVersions.Check(new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey))));
        Assert.NotNull(ProvenanceRecordVersions.Check(record));
    }

    [Fact]
    public void Check_V2WithZeroParent_IsRefused()
    {
        var extensions = new ProvenanceRecordExtensionsV2(Bytes32.Zero);
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with { Version = ProvenanceRecordVersions.V2, Extensions = extensions.HashStruct() };

        Assert.Contains("must not be zero", ProvenanceRecordVersions.Check(new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey)) { ExtensionsV2 = extensions }), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_V1_StillHoldsAndRefusesExtensionData()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signed = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey));

        Assert.Equal(ProvenanceRecordVersions.V1, record.Version);
        Assert.Null(ProvenanceRecordVersions.Check(signed));
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(record, Domain, signed.Signature));
        Assert.NotNull(ProvenanceRecordVersions.Check(signed with { ExtensionsV2 = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()) }));
    }

    [Fact]
    public void HashStructV3_IsKeccakOfTypehashParentPdqAndQualityAbiEncoded()
    {
        var (parent, pdq) = (TestRecords.RandomBytes32(), TestRecords.RandomBytes32());
        var keccak = Sha3Keccack.Current;
        var typeHash = keccak.CalculateHash(Encoding.ASCII.GetBytes("ProvenanceRecordExtensionsV3(bytes32 parentRecord,bytes32 pdqHash,uint16 pdqQuality)"));
        var quality = new byte[32];
        quality[30] = 0x01; // 300 = 0x012C, a uint16 right-aligned in its 32-byte word
        quality[31] = 0x2C;

        var expected = Bytes32.FromBytes(keccak.CalculateHash([.. typeHash, .. parent.ToArray(), .. pdq.ToArray(), .. quality]));

        Assert.Equal(expected, new ProvenanceRecordExtensionsV3(parent, pdq, 300).HashStruct());
        Assert.NotEqual(expected, new ProvenanceRecordExtensionsV3(parent, pdq, 299).HashStruct());
        Assert.NotEqual(expected, new ProvenanceRecordExtensionsV3(parent, TestRecords.RandomBytes32(), 300).HashStruct());
    }

    [Fact]
    public void V3Record_SignedWithItsExtensions_ChecksThroughJsonAndNamesItsParentOnlyWhenSet()
    {
        var extensions = new ProvenanceRecordExtensionsV3(Bytes32.Zero, TestRecords.RandomBytes32(), 87);
        var signed = SignV3(extensions);

        var json = JsonSerializer.Serialize(signed, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<SignedProvenanceRecord>(json, JsonSerializerOptions.Web)!;

        Assert.Contains("\"extensionsV3\":{\"parentRecord\":", json, StringComparison.Ordinal);
        Assert.Contains("\"pdqQuality\":87", json, StringComparison.Ordinal);
        Assert.Equal(extensions, back.ExtensionsV3);
        Assert.Null(back.ParentRecord);
        Assert.True(ProvenanceRecordTypedData.IsSignedByNode(back.Record, Domain, back.Signature));
        Assert.Null(ProvenanceRecordVersions.Check(back));

        var parent = TestRecords.RandomBytes32();
        Assert.Equal(parent, SignV3(extensions with { ParentRecord = parent }).ParentRecord);
    }

    [Fact]
    public void Check_V3WithAnotherPdqThanSigned_IsRefused()
    {
        // Anyone relaying the record (the ledger's operator included) swaps in the PDQ of another picture.
        var signed = SignV3(new ProvenanceRecordExtensionsV3(Bytes32.Zero, TestRecords.RandomBytes32(), 90));
        var forged = signed with { ExtensionsV3 = signed.ExtensionsV3! with { PdqHash = TestRecords.RandomBytes32() } };
        var lifted = signed with { ExtensionsV3 = signed.ExtensionsV3! with { PdqQuality = 100 } };

        Assert.Contains("not to the record's extensions commitment", ProvenanceRecordVersions.Check(forged), StringComparison.Ordinal);
        Assert.Contains("not to the record's extensions commitment", ProvenanceRecordVersions.Check(lifted), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_V3WithoutItsDataWithV2DataOrQualityAbove100_IsRefused()
    {
        var signed = SignV3(new ProvenanceRecordExtensionsV3(Bytes32.Zero, TestRecords.RandomBytes32(), 101));

        Assert.Contains("above the maximum 100", ProvenanceRecordVersions.Check(signed), StringComparison.Ordinal);
        Assert.Contains("needs its extension data (extensionsV3)", ProvenanceRecordVersions.Check(signed with { ExtensionsV3 = null }), StringComparison.Ordinal);
        Assert.NotNull(ProvenanceRecordVersions.Check(signed with { ExtensionsV2 = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()) }));
        Assert.NotNull(ProvenanceRecordVersions.Check(signed.Record));
    }

    [Fact]
    public void Check_V1OrV2CarryingV3Data_IsRefused()
    {
        var v3 = new ProvenanceRecordExtensionsV3(Bytes32.Zero, TestRecords.RandomBytes32(), 90);
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var v1 = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey)) { ExtensionsV3 = v3 };

        Assert.NotNull(ProvenanceRecordVersions.Check(v1));
        Assert.NotNull(ProvenanceRecordVersions.Check(v1 with
        {
            Record = record with { Version = ProvenanceRecordVersions.V2 },
            ExtensionsV2 = new ProvenanceRecordExtensionsV2(TestRecords.RandomBytes32()),
        }));
    }

    [Fact]
    public void Check_UnknownVersion_Throws()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with { Version = 4 };

        Assert.False(ProvenanceRecordVersions.IsSupported(4));
        Assert.Throws<UnsupportedRecordVersionException>(() => ProvenanceRecordVersions.Check(record));
    }

    private SignedProvenanceRecord SignV3(ProvenanceRecordExtensionsV3 extensions)
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey)) with { Version = ProvenanceRecordVersions.V3, Extensions = extensions.HashStruct() };
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey)) { ExtensionsV3 = extensions };
    }
}
