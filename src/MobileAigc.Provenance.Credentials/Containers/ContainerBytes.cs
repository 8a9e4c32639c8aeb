using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>Byte-range helpers the containers share.</summary>
internal static class ContainerBytes
{
    /// <summary>The file with the sorted, disjoint <paramref name="ranges"/> removed.</summary>
    public static byte[] Remove(ReadOnlySpan<byte> file, IReadOnlyList<ByteRange> ranges)
    {
        var removed = ranges.Sum(range => range.Length);
        var result = new byte[file.Length - removed];
        var source = 0;
        var target = 0;
        foreach (var range in ranges)
        {
            var keep = (int)range.Start - source;
            file.Slice(source, keep).CopyTo(result.AsSpan(target));
            target += keep;
            source = (int)range.End;
        }

        file[source..].CopyTo(result.AsSpan(target));
        return result;
    }

    /// <summary>Sorted ranges with adjacent ones merged.</summary>
    public static List<ByteRange> Merge(IEnumerable<ByteRange> ranges)
    {
        var merged = new List<ByteRange>();
        foreach (var range in ranges.OrderBy(range => range.Start))
        {
            if (merged.Count > 0 && merged[^1].End == range.Start)
            {
                merged[^1] = merged[^1] with { Length = merged[^1].Length + range.Length };
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    /// <summary>Throws unless <paramref name="store"/> is exactly one JUMBF box.</summary>
    public static (long TotalLength, int HeaderLength, uint Type) RequireOneBox(ReadOnlySpan<byte> store)
    {
        try
        {
            var header = JumbfReader.ReadHeader(store);
            if (header.TotalLength != store.Length || header.Type != JumbfBoxTypes.Superbox)
            {
                throw new ArgumentException($"A manifest store is one jumb box; these {store.Length} bytes start a '{JumbfBoxTypes.ToFourCc(header.Type)}' box of {header.TotalLength}.", nameof(store));
            }

            return header;
        }
        catch (JumbfException e)
        {
            throw new ArgumentException("A manifest store is one jumb box: " + e.Message, nameof(store), e);
        }
    }
}
