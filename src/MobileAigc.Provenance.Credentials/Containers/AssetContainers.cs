using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>
/// The container of a file chosen by its magic bytes, and the asset hash: SHA-256 over the file
/// without its manifest store, the bytes a <c>c2pa.hash.data</c> assertion with the store's exclusion
/// covers. Stripping or re-embedding credentials leaves the asset hash unchanged, which is why a
/// record's content hash is the asset hash.
/// </summary>
public static class AssetContainers
{
    /// <summary>The PNG container.</summary>
    public static IAssetContainer Png { get; } = new PngContainer();

    /// <summary>The JPEG container.</summary>
    public static IAssetContainer Jpeg { get; } = new JpegContainer();

    /// <summary>The WebP container.</summary>
    public static IAssetContainer Webp { get; } = new WebpContainer();

    /// <summary>The format of <paramref name="file"/> by its magic bytes, or null when not PNG, JPEG or WebP.</summary>
    public static AssetFormat? Detect(ReadOnlySpan<byte> file) =>
        file.StartsWith(PngContainer.Signature) ? AssetFormat.Png
        : file.Length >= 3 && file.StartsWith(JpegContainer.StartOfImage) && file[2] == 0xFF ? AssetFormat.Jpeg
        : WebpContainer.HasSignature(file) ? AssetFormat.Webp
        : null;

    /// <summary>The container of <paramref name="format"/>.</summary>
    public static IAssetContainer For(AssetFormat format) => format switch
    {
        AssetFormat.Png => Png,
        AssetFormat.Jpeg => Jpeg,
        AssetFormat.Webp => Webp,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown asset format."),
    };

    /// <summary>The container of <paramref name="file"/>.</summary>
    /// <exception cref="JumbfException">With <see cref="JumbfErrorReason.UnsupportedFormat"/> when the file is not PNG, JPEG or WebP.</exception>
    public static IAssetContainer ForFile(ReadOnlySpan<byte> file) =>
        Detect(file) is { } format ? For(format)
        : throw new JumbfException(JumbfErrorReason.UnsupportedFormat, "the file is not PNG, JPEG or WebP");

    /// <summary>The file's manifest store, or null.</summary>
    /// <exception cref="JumbfException">When the file is not PNG, JPEG or WebP, is broken around the store, or holds two.</exception>
    public static ManifestStoreLocation? Locate(ReadOnlyMemory<byte> file) => ForFile(file.Span).Locate(file);

    /// <summary>The file without its manifest store.</summary>
    /// <exception cref="JumbfException">As <see cref="Locate"/>.</exception>
    public static byte[] Strip(ReadOnlyMemory<byte> file) => ForFile(file.Span).Strip(file);

    /// <summary>The asset with <paramref name="manifestStore"/> embedded (replacing any store it had).</summary>
    /// <exception cref="JumbfException">As <see cref="Locate"/>.</exception>
    /// <exception cref="ArgumentException">When <paramref name="manifestStore"/> is not one JUMBF superbox.</exception>
    public static EmbeddedAsset Embed(ReadOnlyMemory<byte> asset, ReadOnlyMemory<byte> manifestStore) =>
        ForFile(asset.Span).Embed(asset, manifestStore);

    /// <summary>SHA-256 of the file without its manifest store (= of <see cref="Strip"/>).</summary>
    /// <exception cref="JumbfException">As <see cref="Locate"/>.</exception>
    public static Bytes32 AssetHash(ReadOnlyMemory<byte> file) => Bytes32.Sha256(Strip(file));
}
