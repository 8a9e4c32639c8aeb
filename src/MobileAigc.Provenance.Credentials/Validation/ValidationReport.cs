using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>The validation of an ingredient's manifest, reported under the ingredient.</summary>
/// <param name="IngredientUrl">The JUMBF URI of the ingredient assertion.</param>
/// <param name="ManifestLabel">The label of the ingredient's manifest, or null when it names none.</param>
/// <param name="Result">The statuses of the ingredient's manifest (and of the reference to it).</param>
public sealed record IngredientValidation(string IngredientUrl, string? ManifestLabel, ManifestValidationResult Result);

/// <summary>What validating a file's manifest store found.</summary>
/// <param name="Store">The manifest store read, or null when the file has none or it is unreadable.</param>
/// <param name="ActiveManifest">The statuses of the active manifest, or null when there is no store.</param>
/// <param name="Ingredients">The validations of the active manifest's ingredients (and theirs, depth first).</param>
public sealed record ValidationReport(ManifestStore? Store, ManifestValidationResult? ActiveManifest, IReadOnlyList<IngredientValidation> Ingredients)
{
    /// <summary>True when the file carries a manifest store (readable or not).</summary>
    public bool HasManifestStore => ActiveManifest is not null;

    /// <summary>The SDK's validation state of the active manifest, or null when the file has no store.</summary>
    public ValidationState? State => ActiveManifest?.State;
}
