using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// A deterministic pseudo-random stream from a secret sub-key: HMAC-SHA-256(subKey, counter) blocks.
/// Cryptographic, so the watermark layout it draws cannot be predicted without the key.
/// </summary>
internal sealed class KeyStream(byte[] subKey)
{
    private readonly byte[] _subKey = subKey;
    private readonly byte[] _block = new byte[32];
    private ulong _counter;
    private int _used = 32;

    public ulong NextUInt64()
    {
        if (_used > 24)
        {
            Span<byte> counter = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(counter, _counter++);
            HMACSHA256.HashData(_subKey, counter, _block);
            _used = 0;
        }

        var value = BinaryPrimitives.ReadUInt64LittleEndian(_block.AsSpan(_used, 8));
        _used += 8;
        return value;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>).</summary>
    public int NextInt(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    public bool NextBool() => (NextUInt64() & 1) == 1;

    public void Shuffle<T>(T[] items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
