using System.Text.Json.Nodes;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>One file read by the official SDK and by our validator, and the assertion that their verdicts agree.</summary>
/// <param name="Sdk">The SDK's reading.</param>
/// <param name="Ours">Our validator's report.</param>
internal sealed record BothReaders(C2paReadResult Sdk, ValidationReport Ours)
{
    /// <summary>Reads <paramref name="file"/> with both, trusting <paramref name="trustAnchorPem"/> when given.</summary>
    public static async Task<BothReaders> ReadAsync(C2paSdk sdk, byte[] file, string mime, string? trustAnchorPem = null)
    {
        var validator = trustAnchorPem is null
            ? new ManifestValidator()
            : new ManifestValidator(TrustList.FromPem(trustAnchorPem), TimeProvider.System);
        return new BothReaders(await sdk.ReadAsync(file, mime, trustAnchorPem), validator.ValidateFile(file));
    }

    /// <summary>Our failure codes as a set, sorted.</summary>
    public IReadOnlyList<string> OurFailureCodes => [.. (Ours.ActiveManifest?.FailureCodes ?? []).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The SDK's failure codes as a set, sorted.</summary>
    public IReadOnlyList<string> SdkFailureCodes => [.. Sdk.FailureCodes.Distinct().Order(StringComparer.Ordinal)];

    /// <summary>
    /// The statuses the SDK reports under each ingredient assertion of the active manifest
    /// (<c>validation_results.ingredientDeltas</c>), as "kind code url" lines, kind being success, informational or failure.
    /// </summary>
    public IEnumerable<string> SdkIngredientStatuses(string kind) =>
        (Sdk.Store?["validation_results"]?["ingredientDeltas"] as JsonArray ?? [])
        .SelectMany(delta => delta?["validationDeltas"]?[kind] as JsonArray ?? [])
        .Select(status => $"{status?["code"]} {status?["url"]}");

    /// <summary>
    /// Both found no store, or both found one with the same validation state and the same set of failure codes; returns
    /// that set.
    /// </summary>
    public IReadOnlyList<string> AssertSameVerdict()
    {
        var context = $"SDK: {Sdk}; ours: {Ours.State} [{string.Join(", ", OurFailureCodes)}]";
        if (Sdk.Outcome == C2paReadOutcome.NoManifest)
        {
            Assert.False(Ours.HasManifestStore, "the SDK found no manifest store but we did. " + context);
            return [];
        }

        Assert.True(Sdk.Outcome == C2paReadOutcome.ManifestStore, "the SDK refused the file. " + context);
        Assert.True(Ours.HasManifestStore, "the SDK found a manifest store but we did not. " + context);
        Assert.True(Sdk.ValidationState == Ours.State.ToString(), "the validation states differ. " + context);
        Assert.True(SdkFailureCodes.SequenceEqual(OurFailureCodes), "the failure codes differ. " + context);
        return SdkFailureCodes;
    }
}
