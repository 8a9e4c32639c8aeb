using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// The C2PA manifest store an edge node embedded in the file of one record, as the node sent it at
/// ingest: served by the Soft Binding Resolution API's <c>manifests/{manifestId}</c> as <c>application/c2pa</c>.
/// One per record; the first accepted store is kept and never replaced.
/// </summary>
public sealed class StoredManifestStore
{
    /// <summary>The record's EIP-712 digest (the key).</summary>
    public Bytes32 RecordDigest { get; set; }

    /// <summary>The active manifest's label, <c>RecordManifestLabel.For(RecordDigest)</c>: the API's <c>manifestId</c>.</summary>
    public string ManifestLabel { get; set; } = "";

    /// <summary>The manifest store's JUMBF bytes (<c>application/c2pa</c>).</summary>
    public byte[] Store { get; set; } = [];

    /// <summary>SHA-256 of <see cref="Store"/>: tells a resent store from a different one without loading it.</summary>
    public Bytes32 StoreHash { get; set; }

    /// <summary>When the ledger accepted it.</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
