using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Reading;

/// <summary>A C2PA manifest store: its manifests in order, the last one active.</summary>
public sealed class ManifestStore
{
    internal ManifestStore(JumbfSuperBox box, IReadOnlyList<Manifest> manifests)
    {
        Box = box;
        Manifests = manifests;
    }

    /// <summary>The store's superbox.</summary>
    public JumbfSuperBox Box { get; }

    /// <summary>The manifests, in store order.</summary>
    public IReadOnlyList<Manifest> Manifests { get; }

    /// <summary>The active manifest (the last), or null when the store holds none.</summary>
    public Manifest? ActiveManifest => Manifests.Count > 0 ? Manifests[^1] : null;

    /// <summary>The manifest labelled <paramref name="label"/>, or null.</summary>
    public Manifest? Find(string? label) =>
        Manifests.FirstOrDefault(manifest => string.Equals(manifest.Label, label, StringComparison.Ordinal));
}
