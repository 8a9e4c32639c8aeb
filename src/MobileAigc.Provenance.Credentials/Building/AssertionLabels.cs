namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>The labels of the assertions <see cref="ManifestBuilder"/> writes, and the JUMBF URIs it uses.</summary>
public static class AssertionLabels
{
    /// <summary>The actions assertion (C2PA 2.x).</summary>
    public const string Actions = "c2pa.actions.v2";

    /// <summary>The hard binding of a PNG, JPEG or WebP: a hash over the file less the manifest store.</summary>
    public const string DataHash = "c2pa.hash.data";

    /// <summary>A soft binding; a second one gets the instance suffix <c>__1</c>.</summary>
    public const string SoftBinding = "c2pa.soft-binding";

    /// <summary>The prefix of the claim thumbnail's label, followed by <c>jpeg</c> or <c>png</c>.</summary>
    public const string ClaimThumbnailPrefix = "c2pa.thumbnail.claim.";

    /// <summary>The ingredient assertion (C2PA 2.x).</summary>
    public const string Ingredient = "c2pa.ingredient.v3";

    /// <summary>This project's assertion that names the provenance record and its on-chain proof.</summary>
    public const string ProvenanceRecord = "org.mobileaigc.provenance-record";

    /// <summary>The claim's label (C2PA 2.x).</summary>
    public const string Claim = "c2pa.claim.v2";

    /// <summary>The claim signature's label.</summary>
    public const string Signature = "c2pa.signature";

    /// <summary>The assertion store's label.</summary>
    public const string AssertionStore = "c2pa.assertions";

    /// <summary>The manifest store's label.</summary>
    public const string ManifestStore = "c2pa";

    /// <summary>The JUMBF URI of an assertion of the same manifest.</summary>
    public static string AssertionUri(string label) => $"self#jumbf={AssertionStore}/{label}";
}
