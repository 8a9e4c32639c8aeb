using System.Buffers.Binary;
using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Imaging;

/// <summary>The bit arithmetic the 256-bit image hashes share (ours and PDQ): Hamming distance and one bit by index.</summary>
internal static class HashBits
{
    /// <summary>How many of the 256 bits differ between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int Distance(Bytes32 a, Bytes32 b)
    {
        ReadOnlySpan<byte> x = a.AsSpan(), y = b.AsSpan();
        var distance = 0;
        for (var i = 0; i < Bytes32.Length; i += sizeof(ulong))
        {
            distance += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(x[i..]) ^ BinaryPrimitives.ReadUInt64LittleEndian(y[i..]));
        }

        return distance;
    }

    /// <summary>Bit <paramref name="index"/> (0 to 255), bit 0 being the lowest bit of the last byte (the hex form's last digit).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is not 0 to 255.</exception>
    public static bool Get(Bytes32 bits, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Bytes32.Length * 8);
        return (bits.AsSpan()[Bytes32.Length - 1 - (index / 8)] & (1 << (index % 8))) != 0;
    }
}
