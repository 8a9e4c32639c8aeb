using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>The manifests of a parent's store, read within bounds, and its active manifest (the last).</summary>
internal sealed record ParentManifests(IReadOnlyList<JumbfSuperBox> Manifests, JumbfSuperBox? Active)
{
    /// <summary>Reads <paramref name="parent"/>'s store; no manifests when it has none.</summary>
    /// <exception cref="JumbfException">The parent's store is not a well-formed manifest store.</exception>
    /// <exception cref="ArgumentException">A parent manifest has our manifest's label, or two share one.</exception>
    public static ParentManifests Read(ParentIngredient parent, string ourLabel, ManifestLimits limits)
    {
        if (parent.ManifestStore.IsEmpty)
        {
            return new ParentManifests([], null);
        }

        var store = JumbfReader.ReadSuperBox(parent.ManifestStore, JumbfLimits.Default with { MaxTotalBytes = limits.MaxIngredientManifestBytes });
        if (store.ContentType != C2paContentTypes.ManifestStore)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, "the parent's manifest store is not a C2PA manifest store box");
        }

        var manifests = store.SuperBoxes
            .Where(box => box.ContentType == C2paContentTypes.Manifest || box.ContentType == C2paContentTypes.UpdateManifest)
            .ToList();
        if (manifests.Count == 0)
        {
            throw new JumbfException(JumbfErrorReason.Malformed, "the parent's manifest store holds no manifest");
        }

        if (manifests.Any(manifest => string.IsNullOrEmpty(manifest.Label)))
        {
            throw new JumbfException(JumbfErrorReason.Malformed, "a manifest of the parent's store has no label");
        }

        var labels = manifests.Select(manifest => manifest.Label!).ToList();
        if (labels.Contains(ourLabel, StringComparer.Ordinal) || labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            throw new ArgumentException("The parent's manifests repeat a label (theirs or ours): a JUMBF URI would name two manifests.");
        }

        return new ParentManifests(manifests, manifests[^1]);
    }
}
