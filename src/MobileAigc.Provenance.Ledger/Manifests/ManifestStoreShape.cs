using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>
/// What the soft-binding API serves of a kept C2PA manifest store's JUMBF structure (bounded by
/// <see cref="JumbfLimits"/>): a store of its active manifest alone (the last manifest superbox, as the C2PA
/// specification orders them). No claim or signature is read here.
/// </summary>
public static class ManifestStoreShape
{
    /// <summary>A manifest store holding only the active manifest of <paramref name="store"/> (the same bytes when it holds one manifest).</summary>
    /// <exception cref="JumbfException">When <paramref name="store"/> is no manifest store (malformed JUMBF, another
    /// content type, no manifest, a manifest without a label), or exceeds the JUMBF limits.</exception>
    public static byte[] ActiveManifestOnly(byte[] store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var root = JumbfReader.ReadSuperBox(store);
        var active = ActiveManifest(root);
        return Manifests(root).Count() == 1 && root.Children.Count == 1
            ? store
            : JumbfWriter.Write(new JumbfSuperBox(root.Description, [active]));
    }

    private static JumbfSuperBox ActiveManifest(JumbfSuperBox root)
    {
        if (root.ContentType != C2paContentTypes.ManifestStore)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, $"the superbox's content type is {root.ContentType}, not a C2PA manifest store's");
        }

        var active = Manifests(root).LastOrDefault()
            ?? throw new JumbfException(JumbfErrorReason.Malformed, "the manifest store holds no manifest");
        return string.IsNullOrEmpty(active.Label)
            ? throw new JumbfException(JumbfErrorReason.Malformed, "the active manifest has no label")
            : active;
    }

    private static IEnumerable<JumbfSuperBox> Manifests(JumbfSuperBox root) =>
        root.SuperBoxes.Where(b => b.ContentType == C2paContentTypes.Manifest || b.ContentType == C2paContentTypes.UpdateManifest);
}
