using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Checks a claim's <c>redacted_assertions</c> as C2PA asks of a validator: never a hard binding
/// (<c>assertion.hardBinding.redacted</c>), only assertions of other (ingredient) manifests
/// (<c>assertion.selfRedacted</c>), never an actions assertion (<c>assertion.action.redacted</c>), and
/// a redacted assertion must be gone from its manifest's
/// store (<c>assertion.notRedacted</c>). An assertion a claim in the store redacted is not
/// <c>assertion.missing</c> in the manifest it was removed from (<see cref="RedactedIn"/>).
/// </summary>
internal static class RedactionValidator
{
    private static readonly string[] ActionsLabels = ["c2pa.actions", "c2pa.actions.v2"];

    public static void Validate(ManifestStore store, Manifest manifest, ManifestValidationResult result)
    {
        foreach (var uri in manifest.Claim!.RedactedAssertions)
        {
            var target = JumbfUri.ManifestLabel(uri);
            var label = uri.TrimEnd('/').Split('/')[^1].Split("__")[0];
            // Each rule is its own finding, as the SDK reports them.
            var own = target is null || target == manifest.Label;
            if (label.StartsWith("c2pa.hash.", StringComparison.Ordinal))
            {
                result.AddFailure(ValidationStatusCodes.AssertionHardBindingRedacted, uri, "the claim redacts a hard binding, which C2PA forbids");
            }

            if (own)
            {
                result.AddFailure(ValidationStatusCodes.AssertionSelfRedacted, uri, "the claim redacts an assertion of its own manifest");
            }

            if (ActionsLabels.Contains(label, StringComparer.Ordinal))
            {
                result.AddFailure(ValidationStatusCodes.AssertionActionRedacted, uri, "the claim redacts an actions assertion, which C2PA forbids");
            }

            var redactedFrom = own ? manifest : store.Find(target);
            if (redactedFrom is not null && JumbfUri.Resolve(uri, store.Box, redactedFrom.Box) is not null)
            {
                result.AddFailure(ValidationStatusCodes.AssertionNotRedacted, uri, "the claim redacts an assertion that is still in its manifest");
            }
        }
    }

    /// <summary>The absolute URIs every claim of <paramref name="store"/> redacts.</summary>
    public static IReadOnlySet<string> RedactedIn(ManifestStore store) =>
        store.Manifests
            .SelectMany(manifest => manifest.Claim?.RedactedAssertions ?? [])
            .Where(uri => JumbfUri.ManifestLabel(uri) is not null)
            .Select(uri => uri.TrimEnd('/'))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The absolute form of <paramref name="uri"/> as it appears in <paramref name="manifest"/>'s claim.</summary>
    public static string Absolute(ManifestStore store, Manifest manifest, string uri)
    {
        if (JumbfUri.ManifestLabel(uri) is not null)
        {
            return uri.TrimEnd('/');
        }

        var path = uri.StartsWith(HashedUri.SelfPrefix, StringComparison.Ordinal) ? uri[HashedUri.SelfPrefix.Length..] : uri;
        return $"{HashedUri.SelfPrefix}/{store.Box.Label}/{manifest.Label}/{path.TrimEnd('/')}";
    }
}
