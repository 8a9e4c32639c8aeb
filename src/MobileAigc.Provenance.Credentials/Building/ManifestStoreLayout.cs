using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>
/// The boxes of one manifest store with a single manifest: the assertions, then the claim, then its
/// signature, each a labelled JUMBF superbox, composed into the store's bytes.
/// </summary>
internal sealed class ManifestStoreLayout(string manifestLabel, string instanceId)
{
    private readonly List<JumbfSuperBox> _assertions = [];
    private readonly List<JumbfSuperBox> _ingredientManifests = [];

    /// <summary>Adds a CBOR assertion and returns its box.</summary>
    public JumbfSuperBox AddCbor(string label, byte[] cbor)
    {
        var box = CborAssertion(label, cbor);
        _assertions.Add(box);
        return box;
    }

    /// <summary>Copies an ingredient's manifests into the store, before ours (the active manifest is the last).</summary>
    public void AddIngredientManifests(IEnumerable<JumbfSuperBox> manifests) => _ingredientManifests.AddRange(manifests);

    /// <summary>Adds an embedded-file assertion (a thumbnail).</summary>
    public void AddEmbeddedFile(string label, string mediaType, ReadOnlyMemory<byte> bytes) =>
        _assertions.Add(new JumbfSuperBox(C2paContentTypes.EmbeddedFile, label, [.. new JumbfEmbeddedFile(mediaType, null, bytes).ToBoxes()]));

    /// <summary>Replaces the assertion labelled <paramref name="label"/> (same position).</summary>
    public void ReplaceCbor(string label, byte[] cbor)
    {
        var index = _assertions.FindIndex(assertion => assertion.Label == label);
        _assertions[index] = CborAssertion(label, cbor);
    }

    /// <summary>The claim over the assertions as they are now.</summary>
    public byte[] Claim() =>
        ClaimV2.Encode(instanceId, [.. _assertions.Select(a => HashedUriEntry.Of(AssertionLabels.AssertionUri(a.Label!), a))]);

    /// <summary>The store's bytes with <paramref name="claimCbor"/> and <paramref name="signature"/>.</summary>
    public byte[] Compose(byte[] claimCbor, byte[] signature)
    {
        var manifest = new JumbfSuperBox(
            C2paContentTypes.Manifest,
            manifestLabel,
            new JumbfSuperBox(C2paContentTypes.AssertionStore, AssertionLabels.AssertionStore, [.. _assertions]),
            new JumbfSuperBox(C2paContentTypes.Claim, AssertionLabels.Claim, JumbfDataBox.Cbor(claimCbor)),
            new JumbfSuperBox(C2paContentTypes.Signature, AssertionLabels.Signature, JumbfDataBox.Cbor(signature)));
        return JumbfWriter.Write(new JumbfSuperBox(C2paContentTypes.ManifestStore, AssertionLabels.ManifestStore, [.. _ingredientManifests, manifest]));
    }

    private static JumbfSuperBox CborAssertion(string label, byte[] cbor) =>
        new(C2paContentTypes.Cbor, label, JumbfDataBox.Cbor(cbor));
}
