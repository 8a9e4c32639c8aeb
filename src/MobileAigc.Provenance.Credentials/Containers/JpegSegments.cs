using System.Buffers.Binary;
using MobileAigc.Provenance.Credentials.Jumbf;

namespace MobileAigc.Provenance.Credentials.Containers;

/// <summary>A marker segment of a JPEG file before its first scan.</summary>
/// <param name="Start">Offset of the 0xFF of the marker.</param>
/// <param name="Marker">The marker's second byte (0xEB for APP11).</param>
/// <param name="DataStart">Offset of the first byte after the two length bytes.</param>
/// <param name="DataLength">Bytes after the length field.</param>
internal readonly record struct JpegSegment(long Start, byte Marker, long DataStart, int DataLength)
{
    public long End => DataStart + DataLength;
}

/// <summary>Walks the marker segments of a JPEG file up to its first scan (SOS), checking every length.</summary>
internal static class JpegSegments
{
    private const byte StartOfScan = 0xDA;
    private const byte EndOfImage = 0xD9;

    public static List<JpegSegment> Read(ReadOnlySpan<byte> file)
    {
        if (!file.StartsWith(JpegContainer.StartOfImage))
        {
            throw new JumbfException(JumbfErrorReason.UnsupportedFormat, "the file does not start with the JPEG SOI marker");
        }

        var segments = new List<JpegSegment>();
        var position = 2;
        while (position < file.Length)
        {
            if (file[position] != 0xFF)
            {
                throw new JumbfException(JumbfErrorReason.ContainerCorrupt, $"expected a JPEG marker at offset {position}, found 0x{file[position]:X2}");
            }

            var markerAt = position;
            while (position < file.Length && file[position] == 0xFF)
            {
                position++; // fill bytes
            }

            if (position >= file.Length)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, "the JPEG ends inside a marker");
            }

            var marker = file[position++];
            if (marker is EndOfImage)
            {
                break;
            }

            if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
            {
                continue; // no length field
            }

            if (file.Length - position < 2)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"the JPEG segment 0xFF{marker:X2} at offset {markerAt} ends inside its length");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(file[position..]);
            if (length < 2 || length > file.Length - position)
            {
                throw new JumbfException(JumbfErrorReason.Truncated, $"the JPEG segment 0xFF{marker:X2} at offset {markerAt} declares {length} bytes, {file.Length - position} remain");
            }

            segments.Add(new JpegSegment(markerAt, marker, position + 2, length - 2));
            position += length;
            if (marker == StartOfScan)
            {
                break; // entropy-coded data follows; C2PA places its segments before it
            }
        }

        return segments;
    }
}
