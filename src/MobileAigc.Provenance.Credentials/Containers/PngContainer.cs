using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>
/// PNG: the manifest store is the data of a <c>caBX</c> chunk placed right after <c>IHDR</c>. Its CRC is written, not
/// checked on reading (as the official SDK reads it).
/// </summary>
public sealed class PngContainer : IAssetContainer
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint ManifestChunk = JumbfBoxTypes.FromFourCc("caBX");
    private static readonly uint HeaderChunk = JumbfBoxTypes.FromFourCc("IHDR");
    private static readonly uint EndChunk = JumbfBoxTypes.FromFourCc("IEND");

    /// <inheritdoc />
    public AssetFormat Format => AssetFormat.Png;

    /// <inheritdoc />
    public string MediaType => "image/png";

    /// <inheritdoc />
    public ManifestStoreLocation? Locate(ReadOnlyMemory<byte> file)
    {
        var chunks = ReadChunks(file.Span);
        var stores = chunks.Where(chunk => chunk.Type == ManifestChunk).ToList();
        if (stores.Count > 1)
        {
            throw new JumbfException(JumbfErrorReason.MultipleManifestStores, $"the PNG holds {stores.Count} caBX chunks");
        }

        if (stores.Count == 0)
        {
            return null;
        }

        // The chunk's CRC is not checked, as the official SDK does not: a changed byte in the store is for the claim
        // signature and the hashed URIs to report (claimSignature.mismatch, ...), not a reason to hide the store.
        var store = stores[0];
        return new ManifestStoreLocation(file.Slice((int)store.Start + 8, store.DataLength), [new ByteRange(store.Start, store.DataLength + 12L)]);
    }

    /// <inheritdoc />
    public byte[] Strip(ReadOnlyMemory<byte> file)
    {
        var location = Locate(file);
        return location is null ? file.ToArray() : ContainerBytes.Remove(file.Span, location.Ranges);
    }

    /// <inheritdoc />
    public EmbeddedAsset Embed(ReadOnlyMemory<byte> asset, ReadOnlyMemory<byte> manifestStore)
    {
        ContainerBytes.RequireOneBox(manifestStore.Span);
        var stripped = Strip(asset);
        var chunks = ReadChunks(stripped);
        if (chunks.Count == 0 || chunks[0].Type != HeaderChunk)
        {
            throw new JumbfException(JumbfErrorReason.ContainerCorrupt, "the PNG does not start with an IHDR chunk");
        }

        var insertAt = (int)(chunks[0].Start + chunks[0].DataLength + 12);
        var chunk = new byte[manifestStore.Length + 12];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)manifestStore.Length);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), ManifestChunk);
        manifestStore.Span.CopyTo(chunk.AsSpan(8));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + manifestStore.Length), Crc32.Compute(chunk.AsSpan(4, 4 + manifestStore.Length)));
        byte[] file = [.. stripped.AsSpan(0, insertAt), .. chunk, .. stripped.AsSpan(insertAt)];
        return new EmbeddedAsset(file, [new ByteRange(insertAt, chunk.Length)]);
    }

    private static List<Chunk> ReadChunks(ReadOnlySpan<byte> file)
    {
        if (!file.StartsWith(Signature))
        {
            throw new JumbfException(JumbfErrorReason.UnsupportedFormat, "the file does not start with the PNG signature");
        }

        var chunks = new List<Chunk>();
        long position = Signature.Length;
        while (position < file.Length)
        {
            var remaining = file.Length - position;
            if (remaining < 12)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"a PNG chunk at offset {position} needs 12 bytes, {remaining} remain");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(file[(int)position..]);
            if (length > int.MaxValue || length + 12L > remaining)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"the PNG chunk at offset {position} declares {length} data bytes, {remaining - 12} remain");
            }

            var type = BinaryPrimitives.ReadUInt32BigEndian(file[((int)position + 4)..]);
            chunks.Add(new Chunk(position, type, (int)length));
            position += length + 12L;
            if (type == EndChunk)
            {
                break;
            }
        }

        return chunks;
    }

    private readonly record struct Chunk(long Start, uint Type, int DataLength);
}
