using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using MobileAigc.Provenance.Ledger.Manifests;
using MobileAigc.Provenance.Ledger.Verification;

namespace MobileAigc.Provenance.Ledger.Host.Apis;

/// <summary>What the soft-binding handlers need.</summary>
/// <param name="Lookup">The lookups.</param>
/// <param name="ManifestStores">The kept manifest stores, served by <c>manifests/{manifestId}</c>.</param>
/// <param name="Options">Upload limits.</param>
public sealed record SoftBindingServices(SoftBindingLookup Lookup, ManifestStoreKeeper ManifestStores, IOptions<VerificationOptions> Options);

/// <summary>C2PA <c>c2pa.softBindingQuery</c>: the body of <c>POST matches/byBinding</c>.</summary>
/// <param name="Alg">The algorithm name (required).</param>
/// <param name="Value">The binding value, base64 (required).</param>
public sealed record SoftBindingQuery([property: Required] string? Alg, [property: Required] string? Value);

/// <summary>C2PA <c>c2pa.softBindingQueryResult</c>.</summary>
/// <param name="Matches">The matches, best first.</param>
public sealed record SoftBindingQueryResult(IReadOnlyList<SoftBindingMatch> Matches);

/// <summary>One match of <see cref="SoftBindingQueryResult"/>.</summary>
/// <param name="ManifestId">The <c>urn:c2pa:</c> label of the record's manifest; fetch it from <c>manifests/{manifestId}</c> here.</param>
/// <param name="Endpoint">Another resolution service holding the manifest; always null here (omitted), as every match is served by this one.</param>
/// <param name="SimilarityScore">0 (weakest) to 100 (strongest).</param>
public sealed record SoftBindingMatch(
    [property: Required] string ManifestId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Endpoint,
    [property: Range(0, 100)] int SimilarityScore);

/// <summary>C2PA <c>c2pa.softBindingAlgList</c>.</summary>
/// <param name="Watermarks">Watermark algorithms.</param>
/// <param name="Fingerprints">Fingerprint algorithms.</param>
public sealed record SoftBindingAlgList(IReadOnlyList<SoftBindingAlgorithm> Watermarks, IReadOnlyList<SoftBindingAlgorithm> Fingerprints);

/// <summary>One algorithm of <see cref="SoftBindingAlgList"/>.</summary>
/// <param name="Alg">Its name, as on the C2PA soft binding algorithm list.</param>
public sealed record SoftBindingAlgorithm([property: Required] string Alg);

/// <summary>The OpenAPI document of the soft-binding routes: the specification's schema names (<c>c2pa.softBindingQuery</c>, ...) and required parameters.</summary>
public static partial class SoftBindingApi
{
    /// <summary>For <c>OpenApiOptions.CreateSchemaReferenceId</c>: the specification's names for its schemas, the default for the rest.</summary>
    public static string? SchemaReferenceId(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Type switch
        {
            var t when t == typeof(SoftBindingQuery) => "c2pa.softBindingQuery",
            var t when t == typeof(SoftBindingQueryResult) => "c2pa.softBindingQueryResult",
            var t when t == typeof(SoftBindingAlgList) => "c2pa.softBindingAlgList",
            _ => Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(type),
        };
    }

    // The specification requires these query parameters; the handler takes them as optional so that a
    // missing one is answered with its own ProblemDetails rather than the framework's bare 400.
    private static Func<OpenApiOperation, Microsoft.AspNetCore.OpenApi.OpenApiOperationTransformerContext, CancellationToken, Task> RequireParameters(
        params string[] names) => (operation, _, _) =>
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => names.Contains(p.Name)))
        {
            parameter.Required = true;
        }

        return Task.CompletedTask;
    };
}
