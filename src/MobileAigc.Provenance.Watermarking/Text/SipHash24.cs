using System.Buffers.Binary;
using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed pseudo-random function with a 128-bit key and a 64-bit output,
/// built for short inputs: about 20 ns for the text watermark's 20-byte contexts against a microsecond for HMAC-SHA-256,
/// which is what lets the ledger try a thousand keys on a text. The key is expanded once, here. Thread-safe.
/// </summary>
internal sealed class SipHash24
{
    private readonly ulong _k0;
    private readonly ulong _k1;

    /// <summary>A function keyed with the first 16 bytes of <paramref name="key"/> (little-endian, as the reference).</summary>
    /// <exception cref="ArgumentException">When <paramref name="key"/> is shorter than 16 bytes.</exception>
    public SipHash24(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException($"A SipHash key is 16 bytes; got {key.Length}.", nameof(key));
        }

        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(key);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(key[8..]);
    }

    /// <summary>SipHash-2-4 of <paramref name="message"/>.</summary>
    public ulong Hash(ReadOnlySpan<byte> message)
    {
        var v0 = _k0 ^ 0x736f6d6570736575UL;
        var v1 = _k1 ^ 0x646f72616e646f6dUL;
        var v2 = _k0 ^ 0x6c7967656e657261UL;
        var v3 = _k1 ^ 0x7465646279746573UL;
        var whole = message.Length & ~7;
        for (var i = 0; i < whole; i += 8)
        {
            var m = BinaryPrimitives.ReadUInt64LittleEndian(message[i..]);
            v3 ^= m;
            Round(ref v0, ref v1, ref v2, ref v3);
            Round(ref v0, ref v1, ref v2, ref v3);
            v0 ^= m;
        }

        var last = (ulong)(message.Length & 0xff) << 56;
        for (var i = whole; i < message.Length; i++)
        {
            last |= (ulong)message[i] << (8 * (i - whole));
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
