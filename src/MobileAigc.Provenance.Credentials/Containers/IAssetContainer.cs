namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>
/// Finds, removes and inserts the C2PA manifest store of one file format. Implementations are
/// stateless and thread-safe.
/// </summary>
public interface IAssetContainer
{
    /// <summary>The format handled.</summary>
    AssetFormat Format { get; }

    /// <summary>The media type of the format, e.g. <c>image/png</c>.</summary>
    string MediaType { get; }

    /// <summary>The file's manifest store, or null when it has none.</summary>
    /// <exception cref="Jumbf.JumbfException">When the file is broken around the store, or holds two stores.</exception>
    ManifestStoreLocation? Locate(ReadOnlyMemory<byte> file);

    /// <summary>The file without its manifest store (the file itself when it has none).</summary>
    /// <exception cref="Jumbf.JumbfException">As <see cref="Locate"/>.</exception>
    byte[] Strip(ReadOnlyMemory<byte> file);

    /// <summary>
    /// The asset with <paramref name="manifestStore"/> embedded where C2PA places it, replacing any
    /// store the asset had. Where the store lands depends only on the asset and the store's length, so
    /// a placeholder of the final length gives the exclusion range before signing.
    /// </summary>
    /// <exception cref="Jumbf.JumbfException">When the asset is broken.</exception>
    /// <exception cref="ArgumentException">When <paramref name="manifestStore"/> is not one JUMBF box.</exception>
    EmbeddedAsset Embed(ReadOnlyMemory<byte> asset, ReadOnlyMemory<byte> manifestStore);
}
