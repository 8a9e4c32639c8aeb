namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// The boxes of one manifest store with a single manifest: the assertions, then the claim, then its
/// signature, each a labelled JUMBF superbox, composed into the store's bytes.
/// </summary>
internal sealed class ManifestStoreLayout(string manifestLabel, string instanceId)
{
    private readonly List<(string Label, byte[] Box)> _assertions = [];

    /// <summary>Adds a CBOR assertion and returns its box.</summary>
    public byte[] AddCbor(string label, byte[] cbor)
    {
        var box = CborAssertionBox(label, cbor);
        _assertions.Add((label, box));
        return box;
    }

    /// <summary>Adds an embedded-file assertion (a thumbnail).</summary>
    public void AddEmbeddedFile(string label, string mediaType, ReadOnlySpan<byte> bytes) =>
        _assertions.Add((label, JumbfComposition.Superbox(
            JumbfComposition.EmbeddedFileType,
            label,
            JumbfComposition.EmbeddedFileDescription(mediaType),
            JumbfComposition.Box("bidb", bytes))));

    /// <summary>Replaces the assertion labelled <paramref name="label"/> (same position).</summary>
    public void ReplaceCbor(string label, byte[] cbor)
    {
        var index = _assertions.FindIndex(assertion => assertion.Label == label);
        _assertions[index] = (label, CborAssertionBox(label, cbor));
    }

    /// <summary>The claim over the assertions as they are now.</summary>
    public byte[] Claim() =>
        ClaimV2.Encode(instanceId, [.. _assertions.Select(a => HashedUri.Of(AssertionLabels.AssertionUri(a.Label), a.Box))]);

    /// <summary>The store's bytes with <paramref name="claimCbor"/> and <paramref name="signature"/>.</summary>
    public byte[] Compose(byte[] claimCbor, ReadOnlySpan<byte> signature)
    {
        var assertionStore = JumbfComposition.Superbox(
            JumbfComposition.AssertionStoreType, AssertionLabels.AssertionStore, [.. _assertions.Select(a => a.Box)]);
        var claim = JumbfComposition.Superbox(JumbfComposition.ClaimType, AssertionLabels.Claim, JumbfComposition.Box("cbor", claimCbor));
        var signatureBox = JumbfComposition.Superbox(JumbfComposition.SignatureType, AssertionLabels.Signature, JumbfComposition.Box("cbor", signature));
        var manifest = JumbfComposition.Superbox(JumbfComposition.ManifestType, manifestLabel, assertionStore, claim, signatureBox);
        return JumbfComposition.Superbox(JumbfComposition.ManifestStoreType, AssertionLabels.ManifestStore, manifest);
    }

    private static byte[] CborAssertionBox(string label, byte[] cbor) =>
        JumbfComposition.Superbox(JumbfComposition.CborType, label, JumbfComposition.Box("cbor", cbor));
}
