namespace MobileAigc.Provenance.Credentials.Manifests;

/// <summary>
/// The <c>alg</c> names of this project's soft bindings, shared by the manifest writer
/// (<c>c2pa.soft-binding</c> assertions) and the ledger's Soft Binding Resolution API
/// (<c>services/supportedAlgorithms</c>, <c>matches/byBinding</c>, <c>matches/byContent</c>).
/// </summary>
/// <remarks>
/// The C2PA soft binding algorithm list requires an entity-specific, reverse-domain name that
/// matches <c>[a-zA-Z0-9]+\.[a-zA-Z0-9.]+</c> and carries the algorithm's version (as
/// <c>com.adobe.trustmark.Q</c> or <c>app.overlai.watermark.1</c> do). Neither name is on the list yet;
/// the draft entries are in <c>docs/c2pa-soft-binding.md</c>. Changing a name here changes it for
/// writer and resolver together; files already written keep the old name.
/// </remarks>
public static class SoftBindingAlgorithms
{
    /// <summary>
    /// The invisible image watermark (<c>ImageWatermarker</c>), version 1. Binding value: the 8-byte
    /// payload, big-endian (the resolver also accepts the record's 32-byte <c>watermarkId</c>).
    /// </summary>
    public const string ImageWatermark = "org.mobileaigc.watermark.image.1";

    /// <summary>
    /// The 256-bit perceptual hash (<c>PerceptualHasher</c>; PDQ-style, not bit-compatible with Meta's PDQ),
    /// version 1. Binding value: the 32 hash bytes.
    /// </summary>
    public const string PerceptualHash = "org.mobileaigc.phash.1";

    /// <summary>
    /// Meta's PDQ (the perceptual hash industry hash-sharing programs exchange), computed as its reference
    /// implementation does (<c>PdqHasher</c>), version 1. The C2PA list has no PDQ entry (checked against its
    /// <c>softbinding-algorithm-list.json</c>, entries 1 to 53, in December 2026), and a name there belongs to the
    /// algorithm's owner, so this is ours. Binding value: the 32 hash bytes, in the order of the reference's
    /// 64-digit hex form.
    /// </summary>
    public const string Pdq = "org.mobileaigc.pdq.1";

    /// <summary>The list's pattern for an <c>alg</c> name, anchored (the list's schema leaves it unanchored).</summary>
    public const string NamePattern = "^[a-zA-Z0-9]+\\.[a-zA-Z0-9.]+$";
}
