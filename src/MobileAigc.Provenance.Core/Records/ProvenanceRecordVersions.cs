namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The versions of the signed record format and what each requires: the one place a reader of
/// records dispatches on <see cref="ProvenanceRecord.Version"/>.
/// </summary>
/// <remarks>
/// Adding a version: give it the next number here, define its extension struct as an EIP-712 type
/// (version 2: <c>ProvenanceRecordExtensionsV2(bytes32 parentRecord)</c>, see <see cref="ProvenanceRecordExtensionsV2"/>),
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

    /// <summary>The version nodes sign for content without a parent; content derived from a recorded picture gets <see cref="V2"/>.</summary>
    public const ushort Current = V1;

    /// <summary>The highest version this code reads.</summary>
    public const ushort Latest = V2;

    /// <summary>True when this code knows how to read records of <paramref name="version"/>.</summary>
    public static bool IsSupported(ushort version) => version is V1 or V2;

    /// <summary>Checks a record carried without extension data (as <see cref="Check(SignedProvenanceRecord)"/> with none).</summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(ProvenanceRecord record) => Check(record, null);

    /// <summary>Checks a signed record against what its version requires, including the extension data beside it.</summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="signed"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(SignedProvenanceRecord signed)
    {
        ArgumentNullException.ThrowIfNull(signed);
        return Check(signed.Record, signed.ExtensionsV2);
    }

    private static string? Check(ProvenanceRecord record, ProvenanceRecordExtensionsV2? extensions)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Version switch
        {
            V1 when extensions is not null => "A version 1 record has no extensions, but extension data was sent with it.",
            V1 => record.Extensions.IsZero ? null : "A version 1 record has no extensions: its extensions commitment must be zero.",
            V2 when extensions is null => "A version 2 record needs its extension data (extensionsV2) beside it.",
            V2 when extensions.ParentRecord.IsZero => "A version 2 record's parent record must not be zero.",
            V2 when extensions.HashStruct() is var hash && hash != record.Extensions =>
                $"The extension data hashes to {hash}, not to the record's extensions commitment {record.Extensions}.",
            V2 => null,
            _ => throw new UnsupportedRecordVersionException(record.Version),
        };
    }
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
