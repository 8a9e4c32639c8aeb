namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// The input picture of an image-to-image derivation, written as a <c>parentOf</c> ingredient
/// (<c>c2pa.ingredient.v3</c>) that the <c>c2pa.opened</c> action names.
/// </summary>
/// <param name="Title">The parent's title (a file name), at most 256 characters.</param>
/// <param name="MediaType">The parent's media type, e.g. <c>image/png</c>.</param>
/// <param name="ManifestStore">The parent's own C2PA manifest store when it had one (its manifests are
/// copied into ours and its active manifest, the last one, is referenced), else empty.</param>
/// <param name="ValidationResults">The parent's active manifest as the caller's validator found it:
/// required with a manifest store, since C2PA records the verdict the ingredient was taken with.</param>
public sealed record ParentIngredient(
    string Title,
    string MediaType,
    ReadOnlyMemory<byte> ManifestStore,
    IngredientValidationResults? ValidationResults);

/// <summary>The validation status codes of an ingredient's active manifest, by kind.</summary>
/// <param name="Success">Success codes, e.g. <c>claimSignature.validated</c>.</param>
/// <param name="Informational">Informational codes, e.g. <c>signingCredential.ocsp.skipped</c>.</param>
/// <param name="Failure">Failure codes, e.g. <c>signingCredential.untrusted</c>.</param>
public sealed record IngredientValidationResults(
    IReadOnlyList<ValidationStatusEntry> Success,
    IReadOnlyList<ValidationStatusEntry> Informational,
    IReadOnlyList<ValidationStatusEntry> Failure)
{
    /// <summary>The results <see cref="Validation.ManifestValidator"/> gave the parent's active manifest.</summary>
    public static IngredientValidationResults From(Validation.ManifestValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(Entries(result.Success), Entries(result.Informational), Entries(result.Failure));
    }

    private static ValidationStatusEntry[] Entries(IReadOnlyList<Validation.ValidationStatus> statuses) =>
        [.. statuses.Select(status => new ValidationStatusEntry(status.Code, status.Url))];
}

/// <summary>One validation status: its code and the JUMBF URI of what it is about.</summary>
/// <param name="Code">The C2PA status code.</param>
/// <param name="Url">The JUMBF URI it concerns, or null.</param>
public sealed record ValidationStatusEntry(string Code, string? Url);
