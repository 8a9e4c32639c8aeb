using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>
/// Decides whether a manifest store sent with a record belongs to that record before the ledger keeps
/// it. The seam where C2PA validation of the store joins ingest: ingest is not authenticated per node,
/// and a store is signed only by a node's C2PA certificate, not by the record's node key.
/// </summary>
/// <remarks>
/// <see cref="RecordManifestStoreCheck"/> is the one registered: the store validates, is the record's, claims the
/// record's content hash and is signed by a certificate the record's node key bound. A refusal is reported in the
/// record's <c>SubmittedRecord.NotKept</c>; it never refuses the record. Implementations must be thread-safe:
/// <see cref="ManifestStoreKeeper"/> checks the stores of one request in parallel.
/// </remarks>
public interface IManifestStoreCheck
{
    /// <summary>Null when <paramref name="store"/> may be kept for the record; otherwise why not, for the refusal's detail.</summary>
    /// <param name="store">The manifest store's JUMBF bytes, at most <see cref="ManifestStoreOptions.MaxStoreBytes"/>.</param>
    /// <param name="signed">The record it came with (its signature already checked by ingest).</param>
    /// <param name="recordDigest">The record's EIP-712 digest.</param>
    string? Refuse(ReadOnlyMemory<byte> store, SignedProvenanceRecord signed, Bytes32 recordDigest);
}
