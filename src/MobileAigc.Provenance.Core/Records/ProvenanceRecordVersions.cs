namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The versions of the signed record format and what each requires: the one place a reader of
/// records dispatches on <see cref="ProvenanceRecord.Version"/>.
/// </summary>
/// <remarks>
/// Adding a version: give it the next number here, define its extension struct as an EIP-712 type
/// (for example <c>ProvenanceRecordExtensionsV2(bytes32 parentRecord,bytes32 trainingData)</c>),
/// carry its values beside the record, and check in <see cref="Check"/> that
/// <see cref="ProvenanceRecord.Extensions"/> is their hashStruct. The record's EIP-712 type, the
/// contract and every record of an earlier version stay as they are.
/// </remarks>
public static class ProvenanceRecordVersions
{
    /// <summary>Version 1: the fields of <see cref="ProvenanceRecord"/>, no extensions.</summary>
    public const ushort V1 = 1;

    /// <summary>The version nodes sign today.</summary>
    public const ushort Current = V1;

    /// <summary>True when this code knows how to read records of <paramref name="version"/>.</summary>
    public static bool IsSupported(ushort version) => version is V1;

    /// <summary>
    /// Checks the record against what its version requires.
    /// </summary>
    /// <returns>Null when the record is well formed for its version, else why not.</returns>
    /// <exception cref="ArgumentNullException">When <paramref name="record"/> is null.</exception>
    /// <exception cref="UnsupportedRecordVersionException">When <see cref="IsSupported"/> is false for the record's version.</exception>
    public static string? Check(ProvenanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Version switch
        {
            V1 => record.Extensions.IsZero ? null : "A version 1 record has no extensions: its extensions commitment must be zero.",
            _ => throw new UnsupportedRecordVersionException(record.Version),
        };
    }
}

/// <summary>A record of a version this code cannot read (<see cref="ProvenanceRecordVersions.IsSupported"/>).</summary>
public sealed class UnsupportedRecordVersionException : Exception
{
    /// <summary>Creates the exception for <paramref name="version"/>.</summary>
    public UnsupportedRecordVersionException(ushort version)
        : base($"Record version {version} is not supported (this ledger reads version {ProvenanceRecordVersions.V1} up to {ProvenanceRecordVersions.Current}).") =>
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
