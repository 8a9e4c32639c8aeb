using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>How the ledger keeps the C2PA manifest stores nodes send with their records. Section <c>Ledger:ManifestStores</c>.</summary>
public sealed class ManifestStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:ManifestStores";

    /// <summary>
    /// The largest manifest store kept for one record, in bytes; a larger one is not kept (<c>invalid-manifest-store</c>
    /// in the record's <c>NotKept</c>; the record is stored). A store with a claim thumbnail is tens of kilobytes. Default: 1 MiB;
    /// from 1 KiB to 16 MiB. The ingest request's own size limit still applies to the request as a whole.
    /// </summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public int MaxStoreBytes { get; set; } = 1024 * 1024;
}
