using System.Text;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The fields version 2 of the record adds (<see cref="ProvenanceRecordVersions.V2"/>): the EIP-712 struct
/// <c>ProvenanceRecordExtensionsV2(bytes32 parentRecord)</c>, whose hashStruct is the record's
/// <see cref="ProvenanceRecord.Extensions"/>. It travels beside the record (<see cref="SignedProvenanceRecord.ExtensionsV2"/>).
/// </summary>
/// <param name="ParentRecord">
/// The digest of the record of the picture this content was derived from (an image-to-image edit or variation);
/// never zero. The node's claim, covered by its signature: see <c>docs/lineage.md</c> for what the ledger checks.
/// </param>
public sealed record ProvenanceRecordExtensionsV2(Bytes32 ParentRecord)
{
    /// <summary>The EIP-712 type string.</summary>
    public const string TypeString = "ProvenanceRecordExtensionsV2(bytes32 parentRecord)";

    private static readonly byte[] TypeHash = Keccak256.Hash(Encoding.ASCII.GetBytes(TypeString));

    /// <summary>The EIP-712 hashStruct: <c>keccak256(abi.encode(typeHash, parentRecord))</c>; what <see cref="ProvenanceRecord.Extensions"/> holds.</summary>
    public Bytes32 HashStruct()
    {
        Span<byte> encoded = stackalloc byte[64];
        TypeHash.CopyTo(encoded);
        ParentRecord.AsSpan().CopyTo(encoded[32..]);
        return Bytes32.FromBytes(Keccak256.Hash(encoded));
    }
}
