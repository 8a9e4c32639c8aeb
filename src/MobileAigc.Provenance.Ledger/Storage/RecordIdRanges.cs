using System.Buffers.Binary;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>
/// Packs ascending record ids as runs of consecutive ids: 8 bytes of first id and 4 bytes of length per run, little
/// endian (<see cref="AnchorBatch.PendingRecordIds"/>). A batch's ids are nearly always one run, a few more when
/// concurrent ingest transactions committed out of id order; 65,536 lone ids take 768 KiB at worst.
/// </summary>
internal static class RecordIdRanges
{
    private const int RunLength = sizeof(long) + sizeof(int);

    /// <summary>Packs <paramref name="ids"/>, which must be strictly ascending.</summary>
    /// <exception cref="ArgumentException">When the ids are not strictly ascending.</exception>
    public static byte[] Pack(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var runs = new List<(long First, int Count)>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (i > 0 && ids[i] <= ids[i - 1])
            {
                throw new ArgumentException($"Record ids must be strictly ascending; {ids[i]} follows {ids[i - 1]}.", nameof(ids));
            }

            if (runs.Count > 0 && runs[^1].First + runs[^1].Count == ids[i])
            {
                runs[^1] = (runs[^1].First, runs[^1].Count + 1);
            }
            else
            {
                runs.Add((ids[i], 1));
            }
        }

        var packed = new byte[runs.Count * RunLength];
        for (var r = 0; r < runs.Count; r++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(packed.AsSpan(r * RunLength), runs[r].First);
            BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan((r * RunLength) + sizeof(long)), runs[r].Count);
        }

        return packed;
    }

    /// <summary>The ids <paramref name="packed"/> holds, ascending.</summary>
    /// <exception cref="FormatException">When <paramref name="packed"/> is not what <see cref="Pack"/> writes.</exception>
    public static List<long> Unpack(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (packed.Length % RunLength != 0)
        {
            throw new FormatException($"Packed record ids are runs of {RunLength} bytes; {packed.Length} bytes is not a whole number of runs.");
        }

        var ids = new List<long>();
        for (var offset = 0; offset < packed.Length; offset += RunLength)
        {
            var first = BinaryPrimitives.ReadInt64LittleEndian(packed.AsSpan(offset));
            var count = BinaryPrimitives.ReadInt32LittleEndian(packed.AsSpan(offset + sizeof(long)));
            if (count <= 0 || (ids.Count > 0 && first <= ids[^1]) || first > long.MaxValue - count)
            {
                throw new FormatException($"Packed record ids hold a run of {count} from {first}: runs must be non-empty, ascending and apart.");
            }

            for (var i = 0; i < count; i++)
            {
                ids.Add(first + i);
            }
        }

        return ids;
    }
}
