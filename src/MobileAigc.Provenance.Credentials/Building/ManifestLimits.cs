namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>Upper bounds on what a manifest store written by <see cref="ManifestBuilder"/> may carry.</summary>
/// <param name="MaxAssetBytes">The largest asset accepted.</param>
/// <param name="MaxThumbnailBytes">The largest claim thumbnail.</param>
/// <param name="MaxIngredientManifestBytes">The largest parent manifest store copied into ours.</param>
/// <param name="MaxStoreBytes">The largest manifest store written.</param>
public readonly record struct ManifestLimits(int MaxAssetBytes, int MaxThumbnailBytes, int MaxIngredientManifestBytes, int MaxStoreBytes)
{
    /// <summary>64 MB assets, 256 KB thumbnails, 4 MB parent manifests, 8 MB stores.</summary>
    public static ManifestLimits Default { get; } = new(64 << 20, 256 << 10, 4 << 20, 8 << 20);
}
