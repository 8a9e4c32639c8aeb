using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>One manifest of a store: its claim, claim signature, assertions and ingredients.</summary>
public sealed class Manifest
{
    internal Manifest(JumbfSuperBox box, IReadOnlyList<Claim> claims, IReadOnlyList<ClaimSignature> signatures, JumbfSuperBox? assertionStore)
    {
        Box = box;
        Claims = claims;
        Signatures = signatures;
        AssertionStore = assertionStore;
        Assertions = assertionStore is null ? [] : [.. assertionStore.SuperBoxes.Select(Assertion.Read)];
        Ingredients = [.. Assertions.Select(Ingredient.From).OfType<Ingredient>()];
    }

    /// <summary>The manifest's label (e.g. <c>urn:c2pa:...</c>).</summary>
    public string Label => Box.Label ?? "";

    /// <summary>True for an update manifest (<c>c2um</c>).</summary>
    public bool IsUpdateManifest => Box.ContentType == C2paContentTypes.UpdateManifest;

    /// <summary>The manifest's superbox.</summary>
    public JumbfSuperBox Box { get; }

    /// <summary>The claim, or null when the manifest has none.</summary>
    public Claim? Claim => Claims.Count > 0 ? Claims[0] : null;

    /// <summary>Every claim box found (a valid manifest has exactly one).</summary>
    public IReadOnlyList<Claim> Claims { get; }

    /// <summary>The claim signature, or null when the manifest has none.</summary>
    public ClaimSignature? Signature => Signatures.Count > 0 ? Signatures[0] : null;

    /// <summary>Every claim signature box found (a valid manifest has exactly one).</summary>
    public IReadOnlyList<ClaimSignature> Signatures { get; }

    /// <summary>The assertion store superbox, or null.</summary>
    public JumbfSuperBox? AssertionStore { get; }

    /// <summary>The assertions, in store order.</summary>
    public IReadOnlyList<Assertion> Assertions { get; }

    /// <summary>The ingredient assertions.</summary>
    public IReadOnlyList<Ingredient> Ingredients { get; }

    /// <summary>The assertion labelled <paramref name="label"/>, or null.</summary>
    public Assertion? FindAssertion(string label) =>
        Assertions.FirstOrDefault(assertion => string.Equals(assertion.Label, label, StringComparison.Ordinal));
}
