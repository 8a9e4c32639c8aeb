using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>Why the manifest store sent with one record of a request is not kept.</summary>
/// <param name="Index">The record's position in the request.</param>
/// <param name="RecordDigest">The record's digest.</param>
/// <param name="Type">A stable problem type: <c>RecordProblemTypes.InvalidManifestStore</c> or <c>ManifestStoreConflict</c>.</param>
/// <param name="Detail">Why, with the values involved.</param>
public sealed record ManifestStoreRefusal(int Index, Bytes32 RecordDigest, string Type, string Detail);

/// <summary>A manifest store to keep for one accepted record.</summary>
/// <param name="Index">The record's position in the request.</param>
/// <param name="RecordDigest">The record's digest.</param>
/// <param name="Store">The store's JUMBF bytes.</param>
public readonly record struct ManifestStoreSubmission(int Index, Bytes32 RecordDigest, byte[] Store);
