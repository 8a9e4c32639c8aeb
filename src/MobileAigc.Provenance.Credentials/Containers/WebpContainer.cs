using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>
/// WebP (RIFF): the manifest store is the data of a <c>C2PA</c> chunk (C2PA "Embedding manifests into RIFF-based
/// formats"). As the reference implementation writes it, the chunk is the RIFF's last, in the simple format too, and
/// the data hash excludes its header and data but not its pad byte; the RIFF size in the file header counts the chunk
/// and is hashed as written, so a store swapped for one of another length breaks the hash.
/// <see cref="Strip"/> removes the chunk with its pad byte and writes the RIFF size back, so that stripping what
/// <see cref="Embed"/> wrote gives the asset back byte for byte.
/// </summary>
/// <remarks>
/// The chunks are read to the end of the file, not of the RIFF size, as the official SDK reads them: that size is
/// hashed, not trusted, so a changed size is reported as <c>assertion.dataHash.mismatch</c> rather than as a store
/// nobody can find. <see cref="Embed"/> writes only into a file whose RIFF size is its length.
/// </remarks>
public sealed class WebpContainer : IAssetContainer
{
    private const int FileHeaderLength = 12;
    private const int ChunkHeaderLength = 8;

    private static readonly uint ManifestChunk = JumbfBoxTypes.FromFourCc("C2PA");

    /// <inheritdoc />
    public AssetFormat Format => AssetFormat.Webp;

    /// <inheritdoc />
    public string MediaType => "image/webp";

    /// <summary>True when <paramref name="file"/> starts with <c>RIFF</c>, a size, and <c>WEBP</c>.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> file) =>
        file.Length >= FileHeaderLength && file.StartsWith("RIFF"u8) && file[8..12].SequenceEqual("WEBP"u8);

    /// <inheritdoc />
    public ManifestStoreLocation? Locate(ReadOnlyMemory<byte> file)
    {
        var stores = ReadChunks(file.Span).Where(chunk => chunk.Type == ManifestChunk).ToList();
        if (stores.Count > 1)
        {
            throw new JumbfException(JumbfErrorReason.MultipleManifestStores, $"the WebP holds {stores.Count} C2PA chunks");
        }

        if (stores.Count == 0)
        {
            return null;
        }

        var store = stores[0];
        return new ManifestStoreLocation(
            file.Slice(store.Start + ChunkHeaderLength, store.DataLength), [new ByteRange(store.Start, ChunkHeaderLength + store.DataLength)]);
    }

    /// <inheritdoc />
    public byte[] Strip(ReadOnlyMemory<byte> file)
    {
        var location = Locate(file);
        if (location is null)
        {
            return file.ToArray();
        }

        var removed = Padded(location.Ranges[0].Length);
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(file.Span[4..]);
        if (declared < removed)
        {
            throw new JumbfException(JumbfErrorReason.ContainerCorrupt, $"the WebP's RIFF header declares {declared} bytes, fewer than its C2PA chunk's {removed}");
        }

        var stripped = ContainerBytes.Remove(file.Span, [location.Ranges[0] with { Length = removed }]);
        BinaryPrimitives.WriteUInt32LittleEndian(stripped.AsSpan(4), (uint)(declared - removed));
        return stripped;
    }

    /// <inheritdoc />
    public EmbeddedAsset Embed(ReadOnlyMemory<byte> asset, ReadOnlyMemory<byte> manifestStore)
    {
        ContainerBytes.RequireOneBox(manifestStore.Span);
        var stripped = Strip(asset);
        if (BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)) + 8L != stripped.Length)
        {
            throw new JumbfException(JumbfErrorReason.ContainerCorrupt, $"the WebP's RIFF header declares {BinaryPrimitives.ReadUInt32LittleEndian(stripped.AsSpan(4)) + 8L} bytes, the file has {stripped.Length}");
        }

        var insertAt = stripped.Length;
        var chunk = new byte[Padded(ChunkHeaderLength + manifestStore.Length)];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, ManifestChunk);
        BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)manifestStore.Length);
        manifestStore.Span.CopyTo(chunk.AsSpan(ChunkHeaderLength));
        byte[] file = [.. stripped, .. chunk];
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(4), (uint)(file.Length - 8));
        return new EmbeddedAsset(file, [new ByteRange(insertAt, ChunkHeaderLength + manifestStore.Length)]);
    }

    private static long Padded(long length) => length + (length & 1);

    private static List<Chunk> ReadChunks(ReadOnlySpan<byte> file)
    {
        if (!HasSignature(file))
        {
            throw new JumbfException(JumbfErrorReason.UnsupportedFormat, "the file does not start with a RIFF WEBP header");
        }

        var chunks = new List<Chunk>();
        for (var position = FileHeaderLength; position < file.Length;)
        {
            if (file.Length - position < ChunkHeaderLength)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"a WebP chunk at offset {position} needs 8 bytes, {file.Length - position} remain");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
            var next = position + ChunkHeaderLength + Padded(length);
            if (next > file.Length)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"the WebP chunk at offset {position} declares {length} data bytes, {file.Length - position - ChunkHeaderLength} remain");
            }

            chunks.Add(new Chunk(position, BinaryPrimitives.ReadUInt32BigEndian(file[position..]), (int)length));
            position = (int)next;
        }

        return chunks;
    }

    private readonly record struct Chunk(int Start, uint Type, int DataLength);
}
