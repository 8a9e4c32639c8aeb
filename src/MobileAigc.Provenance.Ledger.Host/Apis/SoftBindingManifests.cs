using Microsoft.AspNetCore.Http.HttpResults;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Manifests;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>The <c>manifests/{manifestId}</c> route of the Soft Binding Resolution API.</summary>
public static partial class SoftBindingApi
{
    /// <summary>
    /// <c>GET manifests/{manifestId}?returnActiveManifest=</c>: the manifest store kept for the record whose
    /// manifest has this <c>urn:c2pa:</c> label (the optional claim-generator and version suffixes are ignored),
    /// as <c>application/c2pa</c>. 400 when the id is no C2PA manifest label, 404 when no store is kept for it.
    /// With <c>returnActiveManifest=true</c>, a manifest store holding only the active manifest.
    /// </summary>
    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetManifestAsync(
        string manifestId, bool? returnActiveManifest, [AsParameters] SoftBindingServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (RecordManifestLabel.TryParse(manifestId) is not { } uuid)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.InvalidRequest, "Invalid manifest id",
                $"'{manifestId}' is not a C2PA manifest id (urn:c2pa:{{uuid}}, as matches return them).");
        }

        var label = RecordManifestLabel.Prefix + uuid.ToString("D");
        if (await services.ManifestStores.FindAsync(label, cancellationToken) is not { } stored)
        {
            return LedgerProblems.Problem(LedgerProblemTypes.NotFound, "Manifest not found",
                $"The ledger keeps no manifest store with the manifest {label}.", StatusCodes.Status404NotFound);
        }

        var store = returnActiveManifest == true ? ManifestStoreShape.ActiveManifestOnly(stored.Store) : stored.Store;
        return TypedResults.File(store, ManifestStoreMediaType);
    }
}
