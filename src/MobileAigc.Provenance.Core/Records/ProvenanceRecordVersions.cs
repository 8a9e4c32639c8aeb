using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The versions of the signed record format and what each requires: the one place a reader of
/// records dispatches on <see cref="ProvenanceRecord.Version"/>.
/// </summary>
/// <remarks>
/// Adding a version: give it the next number here, define its extension struct as an EIP-712 type
/// (version 2: <c>ProvenanceRecordExtensionsV2(bytes32 parentRecord)</c>, see <see cref="ProvenanceRecordExtensionsV2"/>;
/// version 3: <see cref="ProvenanceRecordExtensionsV3"/>, which adds the picture's PDQ hash and quality),
/// carry its values beside the record, and check in <see cref="Check(SignedProvenanceRecord)"/> that
/// <see cref="ProvenanceRecord.Extensions"/> is their hashStruct. The record's EIP-712 type, the
/// contract and every record of an earlier version stay as they are.
/// </remarks>
public static class ProvenanceRecordVersions
{
    /// <summary>Version 1: the fields of <see cref="ProvenanceRecord"/>, no extensions.</summary>
    public const ushort V1 = 1;

    /// <summary>
    /// Version 2: <see cref="ProvenanceRecord.Extensions"/> is the hashStruct of
    /// <see cref="ProvenanceRecordExtensionsV2"/> (<c>bytes32 parentRecord</c>), carried beside the record.
    /// </summary>
    public const ushort V2 = 2;

    /// <summary>
    /// Version 3: <see cref="ProvenanceRecord.Extensions"/> is the hashStruct of <see cref="ProvenanceRecordExtensionsV3"/>
    /// (<c>bytes32 parentRecord, bytes32 pdqHash, uint16 pdqQuality</c>, the parent zero when there is none), carried beside
    /// the record: what nodes sign for every picture.
    /// </summary>
    public const ushort V3 = 3;

    /// <summary>The version nodes sign for text (no extensions); pictures get <see cref="V3"/>.</summary>
    public const ushort Current = V1;

    /// <summary>The highest version this code reads.</summary>
    public const ushort Latest = V3;

    /// <summary>True when this code knows how to read records of <paramref name="version"/>.</summary>
    public static bool IsSupported(ushort version) => version is V1 or V2 or V3;

    /// <summary>Checks a record carried without extension data (as <see cref="Check(SignedProvenanceRecord)"/> with none).</summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(ProvenanceRecord record) => Check(record, null, null);

    /// <summary>Checks a signed record against what its version requires, including the extension data beside it.</summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="signed"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(SignedProvenanceRecord signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return Check(signed.Record, signed.ExtensionsV2, signed.ExtensionsV3);
    }

    /// <summary>Checks a record against what its version requires, given the extension data carried (or stored) beside it.</summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(ProvenanceRecord record, ProvenanceRecordExtensionsV2? v2, ProvenanceRecordExtensionsV3? v3)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Version switch
        {
            V1 when v2 is not null || v3 is not null => "A version 1 record has no extensions, but extension data was sent with it.",
            V1 => record.Extensions.IsZero ? null : "A version 1 record has no extensions: its extensions commitment must be zero.",
            V2 when v3 is not null => "A version 2 record carries extensionsV2, but extensionsV3 was sent with it.",
            V2 when v2 is null => "A version 2 record needs its extension data (extensionsV2) beside it.",
            V2 when v2.ParentRecord.IsZero => "A version 2 record's parent record must not be zero.",
            V2 => Committed(v2.HashStruct(), record),
            V3 when v2 is not null => "A version 3 record carries extensionsV3, but extensionsV2 was sent with it.",
            V3 when v3 is null => "A version 3 record needs its extension data (extensionsV3) beside it.",
            V3 when v3.PdqQuality > ProvenanceRecordExtensionsV3.MaxPdqQuality =>
                $"A version 3 record's PDQ quality is {v3.PdqQuality}, above the maximum {ProvenanceRecordExtensionsV3.MaxPdqQuality}.",
            V3 => Committed(v3.HashStruct(), record),
            _ => throw new UnsupportedRecordVersionException(record.Version),
        };
    }

    private static string? Committed(Bytes32 hash, ProvenanceRecord record) => hash == record.Extensions
        ? null
        : $"The extension data hashes to {hash}, not to the record's extensions commitment {record.Extensions}.";
}

/// <summary>A record of a version this code cannot read (<see cref="ProvenanceRecordVersions.IsSupported"/>).</summary>
public sealed class UnsupportedRecordVersionException : Exception
{
    /// <summary>Creates the exception for <paramref name="version"/>.</summary>
    public UnsupportedRecordVersionException(ushort version)
        : base($"Record version {version} is not supported (this ledger reads version {ProvenanceRecordVersions.V1} up to {ProvenanceRecordVersions.Latest}).") =>
        Version = version;

    /// <summary>Creates the exception with the default message.</summary>
    public UnsupportedRecordVersionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public UnsupportedRecordVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public UnsupportedRecordVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The version found in the record.</summary>
    public ushort Version { get; }
}
