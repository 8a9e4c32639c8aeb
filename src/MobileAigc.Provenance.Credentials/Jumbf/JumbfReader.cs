using System.Buffers.Binary;

namespace MobileAigc.Provenance.Credentials.Jumbf;

/// <summary>
/// Reads JUMBF structures with every length checked against what remains, the nesting depth, the box
/// count and the total size bounded by <see cref="JumbfLimits"/>. Bad input gives a
/// <see cref="JumbfException"/>, never another exception. The boxes read keep slices of the input
/// (no copy), so the caller must not change the input while it uses them.
/// </summary>
public static class JumbfReader
{
    /// <summary>Reads <paramref name="data"/> as exactly one superbox (a manifest store, for instance).</summary>
    /// <exception cref="JumbfException">When the input is not exactly one well-formed superbox within the limits.</exception>
    public static JumbfSuperBox ReadSuperBox(ReadOnlyMemory<byte> data, JumbfLimits? limits = null)
    {
        var boxes = ReadBoxes(data, limits);
        if (boxes is not [JumbfSuperBox superBox])
        {
            throw new JumbfException(JumbfErrorReason.Malformed, $"expected one jumb superbox, found {boxes.Count} box(es) starting with '{(boxes.Count == 0 ? "" : boxes[0].TypeName)}'");
        }

        return superBox;
    }

    /// <summary>Reads <paramref name="data"/> as a sequence of boxes.</summary>
    /// <exception cref="JumbfException">When a box is malformed or the input exceeds the limits.</exception>
    public static IReadOnlyList<JumbfBox> ReadBoxes(ReadOnlyMemory<byte> data, JumbfLimits? limits = null)
    {
        var bounds = limits ?? JumbfLimits.Default;
        if (data.Length > bounds.MaxTotalBytes)
        {
            throw new JumbfException(JumbfErrorReason.TooLarge, $"{data.Length} bytes exceed the limit of {bounds.MaxTotalBytes}");
        }

        var state = new ReadState(bounds);
        return ReadSequence(data, 0, state, topLevel: true);
    }

    /// <summary>Reads one box header at the start of <paramref name="data"/>: its total and header lengths.</summary>
    /// <exception cref="JumbfException">When the header is truncated or its length impossible.</exception>
    public static (long TotalLength, int HeaderLength, uint Type) ReadHeader(ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            throw new JumbfException(JumbfErrorReason.Truncated, $"a box header needs 8 bytes, {data.Length} remain");
        }

        var lbox = BinaryPrimitives.ReadUInt32BigEndian(data);
        var type = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        switch (lbox)
        {
            case 0:
                return (data.Length, 8, type);
            case 1:
                if (data.Length < 16)
                {
                    throw new JumbfException(JumbfErrorReason.Truncated, $"a '{JumbfBoxTypes.ToFourCc(type)}' box with XLBox needs 16 header bytes, {data.Length} remain");
                }

                var xlbox = BinaryPrimitives.ReadUInt64BigEndian(data[8..]);
                if (xlbox < 16 || xlbox > long.MaxValue)
                {
                    throw new JumbfException(JumbfErrorReason.LengthOutOfRange, $"a '{JumbfBoxTypes.ToFourCc(type)}' box declares an XLBox of {xlbox}");
                }

                return ((long)xlbox, 16, type);
            case < 8:
                throw new JumbfException(JumbfErrorReason.LengthOutOfRange, $"a '{JumbfBoxTypes.ToFourCc(type)}' box declares {lbox} bytes, less than its header");
            default:
                return (lbox, 8, type);
        }
    }

    private static List<JumbfBox> ReadSequence(ReadOnlyMemory<byte> data, int depth, ReadState state, bool topLevel)
    {
        var boxes = new List<JumbfBox>();
        var position = 0;
        while (position < data.Length)
        {
            var remaining = data[position..];
            var (total, headerLength, type) = ReadHeader(remaining.Span);
            if (total > remaining.Length)
            {
                throw new JumbfException(
                    topLevel ? JumbfErrorReason.Truncated : JumbfErrorReason.LengthOutOfRange,
                    $"a '{JumbfBoxTypes.ToFourCc(type)}' box at offset {position} declares {total} bytes, {remaining.Length} remain");
            }

            var encoded = remaining[..(int)total];
            boxes.Add(ReadBox(encoded, headerLength, type, depth, state));
            position += (int)total;
        }

        return boxes;
    }

    private static JumbfBox ReadBox(ReadOnlyMemory<byte> encoded, int headerLength, uint type, int depth, ReadState state)
    {
        if (++state.Boxes > state.Limits.MaxBoxes)
        {
            throw new JumbfException(JumbfErrorReason.TooManyBoxes, $"more than {state.Limits.MaxBoxes} boxes");
        }

        var payload = encoded[headerLength..];
        JumbfBox box;
        if (type == JumbfBoxTypes.Superbox)
        {
            if (depth + 1 > state.Limits.MaxDepth)
            {
                throw new JumbfException(JumbfErrorReason.TooDeep, $"superboxes nested deeper than {state.Limits.MaxDepth}");
            }

            var children = ReadSequence(payload, depth + 1, state, topLevel: false);
            if (children is not [JumbfDescriptionBox description, ..])
            {
                throw new JumbfException(JumbfErrorReason.Malformed, "a jumb superbox does not start with a jumd description box");
            }

            if (children.Skip(1).Any(child => child is JumbfDescriptionBox))
            {
                throw new JumbfException(JumbfErrorReason.Malformed, $"the superbox '{description.Label}' holds a second jumd box");
            }

            box = new JumbfSuperBox(description, children.Skip(1));
        }
        else if (type == JumbfBoxTypes.Description)
        {
            box = JumbfDescriptionBox.Parse(payload, privatePayload => ReadPrivateBox(privatePayload, depth, state));
        }
        else
        {
            box = new JumbfDataBox(type, payload);
        }

        box.SetEncoded(encoded, headerLength);
        return box;
    }

    private static JumbfDataBox ReadPrivateBox(ReadOnlyMemory<byte> data, int depth, ReadState state)
    {
        var boxes = ReadSequence(data, depth, state, topLevel: false);
        return boxes is [JumbfDataBox privateBox]
            ? privateBox
            : throw new JumbfException(JumbfErrorReason.Malformed, "a jumd private field is not exactly one data box");
    }

    private sealed class ReadState(JumbfLimits limits)
    {
        public JumbfLimits Limits { get; } = limits;

        public int Boxes { get; set; }
    }
}
