using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Reading;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Validates a file's manifest store as the C2PA SDK does: the active manifest's claim, claim
/// signature, signing credential (profile, chain, trust list), hashed URIs and hard binding; then the
/// manifests of its ingredients, reported under each ingredient. Broken input inside the store gives
/// statuses, never exceptions.
/// </summary>
/// <remarks>Stateless apart from its trust list and clock: safe to share between threads.</remarks>
/// <param name="trust">The trust anchors (default none: every signer untrusted).</param>
/// <param name="time">The clock used when a signature carries no time-stamp.</param>
public sealed class ManifestValidator(TrustList trust, TimeProvider time)
{
    /// <summary>How deep ingredient manifests are followed (8).</summary>
    public const int MaxIngredientDepth = 8;

    /// <summary>Most ingredient validations reported for one file (256); past it, <c>general.error</c>.</summary>
    public const int MaxIngredientValidations = 256;

    /// <summary>A validator with no trust anchors and the system clock.</summary>
    public ManifestValidator()
        : this(TrustList.Empty, TimeProvider.System)
    {
    }

    /// <summary>Validates the manifest store embedded in <paramref name="file"/> (PNG, JPEG or WebP).</summary>
    /// <returns>A report with no active manifest when the file carries no store; a broken store is <c>manifest.inaccessible</c>.</returns>
    /// <exception cref="JumbfException">With <see cref="JumbfErrorReason.UnsupportedFormat"/> when the file is not PNG, JPEG or WebP.</exception>
    public ValidationReport ValidateFile(ReadOnlyMemory<byte> file)
    {
        ManifestStore store;
        try
        {
            var location = AssetContainers.Locate(file);
            if (location is null)
            {
                return new ValidationReport(null, null, []);
            }

            store = ManifestStoreReader.Read(location.ManifestStore);
        }
        catch (JumbfException e) when (e.Reason != JumbfErrorReason.UnsupportedFormat)
        {
            return Inaccessible(e.Message);
        }

        return Validate(store, file);
    }

    /// <summary>Validates <paramref name="store"/>; its hard binding against <paramref name="file"/> when given.</summary>
    public ValidationReport Validate(ManifestStore store, ReadOnlyMemory<byte>? file)
    {
        ArgumentNullException.ThrowIfNull(store);
        var active = store.ActiveManifest;
        if (active is null)
        {
            return Inaccessible("the manifest store holds no manifest");
        }

        var redacted = RedactionValidator.RedactedIn(store);
        var result = ValidateManifest(store, active, file, redacted);
        var ingredients = new List<IngredientValidation>();
        ValidateIngredients(store, active, new() { [active.Label] = result }, ingredients, 1, redacted);
        return new ValidationReport(store, result, ingredients);
    }

    private static ValidationReport Inaccessible(string explanation)
    {
        var result = new ManifestValidationResult("");
        result.AddFailure(ValidationStatusCodes.ManifestInaccessible, "self#jumbf=/c2pa", explanation);
        return new ValidationReport(null, result, []);
    }

    private ManifestValidationResult ValidateManifest(ManifestStore store, Manifest manifest, ReadOnlyMemory<byte>? file, IReadOnlySet<string> redacted)
    {
        var result = new ManifestValidationResult(manifest.Label);
        string UrlOf(string relative) => $"self#jumbf=/{store.Box.Label}/{manifest.Label}/{relative}";
        if (manifest.Claims.Count == 0)
        {
            result.AddFailure(ValidationStatusCodes.ClaimMissing, UrlOf("c2pa.claim"), "the manifest has no claim");
            return result;
        }

        if (manifest.Claims.Count > 1)
        {
            result.AddFailure(ValidationStatusCodes.ClaimMultiple, UrlOf(manifest.Claim!.Label), $"the manifest has {manifest.Claims.Count} claims");
        }

        if (manifest.Claim!.Error is { } error)
        {
            result.AddFailure(ValidationStatusCodes.ClaimCborInvalid, UrlOf(manifest.Claim.Label), error);
            return result;
        }

        ClaimSignatureValidator.Validate(manifest, UrlOf("c2pa.signature"), result, trust, time.GetUtcNow());
        AssertionHashValidator.Validate(store, manifest, UrlOf, result, redacted);
        RedactionValidator.Validate(store, manifest, result);
        foreach (var ingredient in manifest.Ingredients.Where(ingredient => ingredient.ManifestReference is null))
        {
            result.AddInformational(ValidationStatusCodes.IngredientUnknownProvenance, UrlOf("c2pa.assertions/" + ingredient.Assertion.Label), "the ingredient carries no manifest");
        }

        if (file is { } bytes)
        {
            DataHashValidator.Validate(manifest, bytes.Span, UrlOf, result);
        }

        return result;
    }

    private void ValidateIngredients(ManifestStore store, Manifest manifest, Dictionary<string, ManifestValidationResult> validated, List<IngredientValidation> validations, int depth, IReadOnlySet<string> redacted)
    {
        foreach (var ingredient in manifest.Ingredients)
        {
            if (ingredient.ManifestReference is not { } reference)
            {
                continue;
            }

            var ingredientUrl = $"self#jumbf=/{store.Box.Label}/{manifest.Label}/c2pa.assertions/{ingredient.Assertion.Label}";
            var label = ingredient.ManifestLabel;
            var target = store.Find(label);
            if (validations.Count >= MaxIngredientValidations)
            {
                var skipped = new ManifestValidationResult(label ?? "");
                skipped.AddFailure(ValidationStatusCodes.GeneralError, ingredientUrl, $"more than {MaxIngredientValidations} ingredient manifests; the rest are not validated");
                validations.Add(new IngredientValidation(ingredientUrl, label, skipped));
                return;
            }

            if (target is null || depth > MaxIngredientDepth)
            {
                var missing = new ManifestValidationResult(label ?? "");
                missing.AddFailure(ValidationStatusCodes.IngredientManifestMissing, reference.Url, target is null ? "the store holds no manifest for the ingredient" : "the ingredient's manifest is nested too deep");
                validations.Add(new IngredientValidation(ingredientUrl, label, missing));
                continue;
            }

            // Each manifest is validated and expanded once: repeated or cyclic references reuse its statuses,
            // so a store cannot make the work grow with the number of paths through it.
            var firstVisit = !validated.TryGetValue(target.Label, out var statuses);
            statuses ??= validated[target.Label] = ValidateManifest(store, target, file: null, redacted);
            var result = statuses.Copy();
            if (!AssertionHashValidator.Matches(reference, target, manifest.Claim?.Algorithm))
            {
                result.AddFailure(ValidationStatusCodes.IngredientHashedUriMismatch, reference.Url, "the ingredient's manifest does not match the hash its reference holds");
            }
            else if (result.State != ValidationState.Invalid)
            {
                result.AddSuccess(ValidationStatusCodes.IngredientManifestValidated, reference.Url);
            }

            validations.Add(new IngredientValidation(ingredientUrl, label, result));
            if (firstVisit)
            {
                ValidateIngredients(store, target, validated, validations, depth + 1, redacted);
            }
        }
    }
}
