using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>
/// JPEG: the manifest store is carried by APP11 segments holding JUMBF (ISO 19566-5 / C2PA
/// "Embedding manifests into JPEG"): each segment is the marker, its length, the common identifier
/// <c>JP</c>, a box instance number, a packet sequence number from 1, and the store's LBox/TBox
/// header again, then the next part of the store. Segments are inserted after SOI and any APP0/APP1
/// segments that open the file.
/// </summary>
public sealed class JpegContainer : IAssetContainer
{
    /// <summary>Most store bytes after the repeated box header in one segment (65535 - 2 - 8 - 8).</summary>
    internal const int MaxChunk = ushort.MaxValue - 2 - 8 - 8;

    private const byte App11 = 0xEB;

    /// <summary>A JPEG file's first two bytes.</summary>
    public static ReadOnlySpan<byte> StartOfImage => [0xFF, 0xD8];

    /// <inheritdoc />
    public AssetFormat Format => AssetFormat.Jpeg;

    /// <inheritdoc />
    public string MediaType => "image/jpeg";

    /// <inheritdoc />
    public ManifestStoreLocation? Locate(ReadOnlyMemory<byte> file)
    {
        var segments = JpegSegments.Read(file.Span);
        ManifestStoreLocation? found = null;
        foreach (var group in JumbfGroups(file.Span, segments))
        {
            var location = Assemble(file, group.Value);
            if (!IsManifestStore(location.ManifestStore.Span))
            {
                continue;
            }

            if (found is not null)
            {
                throw new JumbfException(JumbfErrorReason.MultipleManifestStores, "the JPEG holds two C2PA manifest stores (two APP11 box instances)");
            }

            found = location;
        }

        return found;
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
        var (_, headerLength, _) = ContainerBytes.RequireOneBox(manifestStore.Span);
        var stripped = Strip(asset);
        var segments = JpegSegments.Read(stripped);
        var usedInstances = JumbfGroups(stripped, segments).Keys.ToHashSet();
        ushort instance = 1;
        while (usedInstances.Contains(instance))
        {
            instance++;
        }

        var insertAt = 2L;
        foreach (var segment in segments)
        {
            if (segment.Marker is not (0xE0 or 0xE1) || segment.Start != insertAt)
            {
                break;
            }

            insertAt = segment.End;
        }

        var encoded = EncodeSegments(manifestStore.Span, headerLength, instance);
        byte[] file = [.. stripped.AsSpan(0, (int)insertAt), .. encoded, .. stripped.AsSpan((int)insertAt)];
        return new EmbeddedAsset(file, [new ByteRange(insertAt, encoded.Length)]);
    }

    private static byte[] EncodeSegments(ReadOnlySpan<byte> store, int headerLength, ushort instance)
    {
        var header = store[..headerLength];
        var body = store[headerLength..];
        var chunk = MaxChunk - (headerLength - 8);
        var count = Math.Max(1, (body.Length + chunk - 1) / chunk);
        using var output = new MemoryStream(body.Length + (count * (20 + headerLength)));
        Span<byte> prefix = stackalloc byte[12];
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var part = body.Slice((sequence - 1) * chunk, Math.Min(chunk, body.Length - ((sequence - 1) * chunk)));
            prefix[0] = 0xFF;
            prefix[1] = App11;
            BinaryPrimitives.WriteUInt16BigEndian(prefix[2..], (ushort)(2 + 2 + 2 + 4 + headerLength + part.Length));
            prefix[4] = (byte)'J';
            prefix[5] = (byte)'P';
            BinaryPrimitives.WriteUInt16BigEndian(prefix[6..], instance);
            BinaryPrimitives.WriteUInt32BigEndian(prefix[8..], (uint)sequence);
            output.Write(prefix);
            output.Write(header);
            output.Write(part);
        }

        return output.ToArray();
    }

    private static bool IsManifestStore(ReadOnlySpan<byte> store)
    {
        try
        {
            var (_, headerLength, type) = JumbfReader.ReadHeader(store);
            var description = store[headerLength..];
            return type == JumbfBoxTypes.Superbox && description.Length >= 24
                && BinaryPrimitives.ReadUInt32BigEndian(description[4..]) == JumbfBoxTypes.Description
                && new Guid(description.Slice(8, 16), bigEndian: true) == C2paContentTypes.ManifestStore;
        }
        catch (JumbfException)
        {
            return false;
        }
    }

    private static SortedDictionary<ushort, List<JpegSegment>> JumbfGroups(ReadOnlySpan<byte> file, List<JpegSegment> segments)
    {
        var groups = new SortedDictionary<ushort, List<JpegSegment>>();
        foreach (var segment in segments)
        {
            if (segment.Marker != App11 || segment.DataLength < 8 || file[(int)segment.DataStart] != 'J' || file[(int)segment.DataStart + 1] != 'P')
            {
                continue;
            }

            var instance = BinaryPrimitives.ReadUInt16BigEndian(file[((int)segment.DataStart + 2)..]);
            if (!groups.TryGetValue(instance, out var group))
            {
                groups[instance] = group = [];
            }

            group.Add(segment);
        }

        return groups;
    }

    private static ManifestStoreLocation Assemble(ReadOnlyMemory<byte> file, List<JpegSegment> group)
    {
        var span = file.Span;
        var first = span.Slice((int)group[0].DataStart + 8, group[0].DataLength - 8);
        var (total, headerLength, _) = JumbfReader.ReadHeader(first.Length >= 16 ? first[..16] : first);
        if (total > JumbfLimits.Default.MaxTotalBytes)
        {
            throw new JumbfException(JumbfErrorReason.TooLarge, $"an APP11 JUMBF box declares {total} bytes");
        }

        if (first.Length < headerLength)
        {
            throw new JumbfException(JumbfErrorReason.Truncated, "the first APP11 segment ends inside the box header");
        }

        var header = first[..headerLength];
        var store = new byte[total];
        header.CopyTo(store);
        var filled = (long)headerLength;
        for (var i = 0; i < group.Count; i++)
        {
            var data = span.Slice((int)group[i].DataStart + 4, group[i].DataLength - 4);
            var sequence = BinaryPrimitives.ReadUInt32BigEndian(data);
            if (sequence != i + 1)
            {
                throw new JumbfException(JumbfErrorReason.ContainerCorrupt, $"APP11 packet {i + 1} of box instance carries sequence number {sequence}");
            }

            var body = data[4..];
            if (!body.StartsWith(header))
            {
                throw new JumbfException(JumbfErrorReason.ContainerCorrupt, $"APP11 packet {sequence} does not repeat the box header");
            }

            var part = body[headerLength..];
            if (part.Length > total - filled)
            {
                throw new JumbfException(JumbfErrorReason.LengthOutOfRange, $"APP11 packets carry more than the {total} bytes their box declares");
            }

            part.CopyTo(store.AsSpan((int)filled));
            filled += part.Length;
        }

        if (filled != total)
        {
            throw new JumbfException(JumbfErrorReason.Truncated, $"the APP11 packets carry {filled} of the {total} bytes their box declares");
        }

        var ranges = ContainerBytes.Merge(group.Select(segment => new ByteRange(segment.Start, segment.End - segment.Start)));
        return new ManifestStoreLocation(store, ranges);
    }
}
