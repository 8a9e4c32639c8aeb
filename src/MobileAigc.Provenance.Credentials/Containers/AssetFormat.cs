namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>The file formats a manifest store can be embedded in here.</summary>
public enum AssetFormat
{
    /// <summary>PNG: the store is a <c>caBX</c> chunk.</summary>
    Png,

    /// <summary>JPEG: the store is one or more APP11 JUMBF segments.</summary>
    Jpeg,

    /// <summary>WebP: the store is a <c>C2PA</c> RIFF chunk.</summary>
    Webp,
}

/// <summary>A range of bytes in a file.</summary>
/// <param name="Start">Offset of the first byte.</param>
/// <param name="Length">Number of bytes.</param>
public readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>Offset just after the last byte.</summary>
    public long End => Start + Length;
}

/// <summary>A manifest store found in a file.</summary>
/// <param name="ManifestStore">The store's JUMBF bytes (for JPEG, reassembled from its segments).</param>
/// <param name="Ranges">The file bytes that carry the store, container framing included: what
/// <c>c2pa.hash.data</c> excludes and <c>Strip</c> removes. Sorted, adjacent ranges merged.</param>
public sealed record ManifestStoreLocation(ReadOnlyMemory<byte> ManifestStore, IReadOnlyList<ByteRange> Ranges);

/// <summary>A file with a manifest store embedded.</summary>
/// <param name="File">The whole file.</param>
/// <param name="ManifestRanges">Where the store and its framing lie in <paramref name="File"/>.</param>
public sealed record EmbeddedAsset(byte[] File, IReadOnlyList<ByteRange> ManifestRanges);
