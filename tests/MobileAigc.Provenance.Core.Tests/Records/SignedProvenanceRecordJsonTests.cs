using System.Text.Json;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

/// <summary>The wire form of a signed record: the optional manifest store is base64 when present and absent otherwise.</summary>
public sealed class SignedProvenanceRecordJsonTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000a2"));

    [Fact]
    public void Serialize_WithoutManifestStore_OmitsTheProperty()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Signed(), Json));

        Assert.False(json.RootElement.TryGetProperty("manifestStore", out _));
        Assert.True(json.RootElement.TryGetProperty("signature", out _));
    }

    [Fact]
    public void RoundTrip_WithManifestStore_KeepsTheBytesAsBase64()
    {
        var store = new byte[] { 0, 0, 0, 8, (byte)'j', (byte)'u', (byte)'m', (byte)'b', 0xff };
        var signed = Signed() with { ManifestStore = store };

        var text = JsonSerializer.Serialize(signed, Json);
        var back = JsonSerializer.Deserialize<SignedProvenanceRecord>(text, Json)!;

        Assert.Equal(Convert.ToBase64String(store), JsonDocument.Parse(text).RootElement.GetProperty("manifestStore").GetString());
        Assert.Equal(store, back.ManifestStore);
        Assert.Equal(signed.Record, back.Record);
    }

    private static SignedProvenanceRecord Signed()
    {
        var key = EthECKey.GenerateKey();
        var record = new ProvenanceRecord(
            Bytes32.Sha256("content"u8), Bytes32.Zero, Bytes32.Sha256("model"u8), EvmAddress.Parse(key.GetPublicAddress()), EvmAddress.Zero,
            Bytes32.Zero, Bytes32.Sha256("prompt"u8), Bytes32.Sha256("parameters"u8), 1_764_500_000, Bytes32.Zero, 1);
        return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, Domain, key));
    }
}
