using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>
/// An ingredient assertion (<c>c2pa.ingredient</c>, <c>.v2</c> or <c>.v3</c>): an asset this one was
/// made from, and the manifest of that asset when it is carried in the same store.
/// </summary>
public sealed class Ingredient
{
    private Ingredient(Assertion assertion, JsonObject content)
    {
        Assertion = assertion;
        Version = assertion.BaseLabel.EndsWith(".v3", StringComparison.Ordinal) ? 3
            : assertion.BaseLabel.EndsWith(".v2", StringComparison.Ordinal) ? 2 : 1;
        Title = JsonText.String(content["dc:title"]);
        Format = JsonText.String(content["dc:format"]);
        Relationship = JsonText.String(content["relationship"]);
        ManifestReference = HashedUri.From(content[Version == 3 ? "activeManifest" : "c2pa_manifest"]);
    }

    /// <summary>The assertion the ingredient is read from.</summary>
    public Assertion Assertion { get; }

    /// <summary>1, 2 or 3, from the assertion's label.</summary>
    public int Version { get; }

    /// <summary>The ingredient's <c>dc:title</c>, or null.</summary>
    public string? Title { get; }

    /// <summary>The ingredient's <c>dc:format</c>, or null.</summary>
    public string? Format { get; }

    /// <summary><c>parentOf</c>, <c>componentOf</c> or <c>inputTo</c>, or null when missing.</summary>
    public string? Relationship { get; }

    /// <summary>The hashed URI of the ingredient's manifest (<c>c2pa_manifest</c>, v3 <c>activeManifest</c>), or null.</summary>
    public HashedUri? ManifestReference { get; }

    /// <summary>The label of the ingredient's manifest, from <see cref="ManifestReference"/>, or null.</summary>
    public string? ManifestLabel => ManifestReference is { } reference ? JumbfUri.ManifestLabel(reference.Url) : null;

    /// <summary>The ingredient of <paramref name="assertion"/>, or null when it is no ingredient.</summary>
    public static Ingredient? From(Assertion assertion)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        return assertion.BaseLabel is "c2pa.ingredient" or "c2pa.ingredient.v2" or "c2pa.ingredient.v3"
            && assertion.Content is JsonObject content
            ? new Ingredient(assertion, content)
            : null;
    }
}
