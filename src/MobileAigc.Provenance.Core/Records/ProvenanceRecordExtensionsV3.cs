using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The fields version 3 of the record adds (<see cref="ProvenanceRecordVersions.V3"/>): the EIP-712 struct
/// <c>ProvenanceRecordExtensionsV3(bytes32 parentRecord,bytes32 pdqHash,uint16 pdqQuality)</c>, whose hashStruct is the
/// record's <see cref="ProvenanceRecord.Extensions"/>. It travels beside the record (<see cref="SignedProvenanceRecord.ExtensionsV3"/>).
/// </summary>
/// <remarks>
/// The node signs the picture's PDQ hash inside its record, so nobody else (the ledger's operator included) can attach a PDQ
/// hash to it: a verifier that finds a record by PDQ relies only on what the record's node signed.
/// </remarks>
/// <param name="ParentRecord">
/// The digest of the record of the picture this content was derived from, as in <see cref="ProvenanceRecordExtensionsV2"/>;
/// zero when the content was generated from a prompt alone.
/// </param>
/// <param name="PdqHash">The picture's 256-bit PDQ hash (Meta's reference algorithm), in the reference's hex order.</param>
/// <param name="PdqQuality">The PDQ quality score the hash came with, 0 to <see cref="MaxPdqQuality"/>.</param>
public sealed record ProvenanceRecordExtensionsV3(Bytes32 ParentRecord, Bytes32 PdqHash, ushort PdqQuality)
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "ProvenanceRecordExtensionsV3(bytes32 parentRecord,bytes32 pdqHash,uint16 pdqQuality)";

    /// <summary>The highest PDQ quality score: 100.</summary>
    public const ushort MaxPdqQuality = 100;

    private static readonly byte[] TypeHash = Keccak256.Hash(Encoding.ASCII.GetBytes(TypeString));

    /// <summary>
    /// The EIP-712 hashStruct: <c>keccak256(abi.encode(typeHash, parentRecord, pdqHash, pdqQuality))</c>; what
    /// <see cref="ProvenanceRecord.Extensions"/> holds.
    /// </summary>
    public Bytes32 HashStruct()
    {
        Span<byte> encoded = stackalloc byte[128];
        encoded.Clear();
        TypeHash.CopyTo(encoded);
        ParentRecord.AsSpan().CopyTo(encoded[32..]);
        PdqHash.AsSpan().CopyTo(encoded[64..]);
        BinaryPrimitives.WriteUInt16BigEndian(encoded[126..], PdqQuality);
        return Bytes32.FromBytes(Keccak256.Hash(encoded));
    }

    /// <summary>The parent record, or null when <see cref="ParentRecord"/> is zero (no parent).</summary>
    [JsonIgnore]
    public Bytes32? Parent => ParentRecord.IsZero ? null : ParentRecord;
}
