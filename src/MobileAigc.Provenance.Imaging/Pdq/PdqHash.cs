using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// A 256-bit PDQ hash, bit for bit as Meta's reference (ThreatExchange <c>pdq/</c>) lays it out and prints it, so it
/// can be exchanged with anyone who runs the reference or one of its ports. Compared by <see cref="DistanceTo"/>
/// (Hamming distance, 0 to 256).
/// </summary>
/// <remarks>
/// <para>Bit layout: bit <c>k = 16 i + j</c> is set when coefficient (i, j) of the 16×16 DCT block exceeds the block's
/// median. The hex form (<see cref="ToString"/>, <see cref="Parse"/>) is the reference's: 64 hex digits reading the
/// 256 bits as one big-endian number (bit k is worth 2^k), so bit 0 is the lowest bit of the last digit. Stored the
/// same way in <see cref="Bits"/> (bit k is bit <c>k mod 8</c> of byte <c>31 − k / 8</c>).</para>
/// <para>Matching: the reference recommends a distance of at most <see cref="MatchThreshold"/> (31) for "the same
/// picture". Hashes of the same file from two correct implementations differ by a few bits (the reference's own ports
/// differ by up to 8 through their JPEG decoders); unrelated pictures lie around 128.</para>
/// </remarks>
/// <param name="Bits">The 256 bits, in the layout described on the type.</param>
public readonly record struct PdqHash(Bytes32 Bits)
{
    /// <summary>The number of bits: 256.</summary>
    public const int BitCount = 256;

    /// <summary>The number of hex digits of the text form: 64.</summary>
    public const int HexLength = 64;

    /// <summary>The largest distance still counted as the same picture: 31, the reference's recommendation.</summary>
    public const int MatchThreshold = 31;

    /// <summary>The Hamming distance: how many of the 256 bits differ (0 identical, about 128 unrelated).</summary>
    public int DistanceTo(PdqHash other) => HashBits.Distance(Bits, other.Bits);

    /// <summary>True when <see cref="DistanceTo"/> <paramref name="other"/> is at most <paramref name="threshold"/> (default <see cref="MatchThreshold"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="threshold"/> is not 0 to 256.</exception>
    public bool Matches(PdqHash other, int threshold = MatchThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, BitCount);
        return DistanceTo(other) <= threshold;
    }

    /// <summary>Bit <paramref name="index"/> (0 to 255): whether DCT coefficient (index / 16, index mod 16) exceeds the median.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="index"/> is not 0 to 255.</exception>
    public bool GetBit(int index) => HashBits.Get(Bits, index);

    /// <summary>The reference's text form: 64 lowercase hex digits, no prefix.</summary>
    public override string ToString() => Convert.ToHexStringLower(Bits.AsSpan());

    /// <summary>Reads the reference's text form: exactly 64 hex digits (either case), no prefix or spaces.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="hex"/> is null.</exception>
    /// <exception cref="FormatException">When <paramref name="hex"/> is not 64 hex digits; the message says what was wrong.</exception>
    public static PdqHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out var hash))
        {
            throw new FormatException(
                $"A PDQ hash is {HexLength} hex digits (0-9, a-f) with no prefix; got {hex.Length} characters" +
                (hex.Length == HexLength ? " with a character that is not a hex digit." : "."));
        }

        return hash;
    }

    /// <summary>Reads the reference's text form; false when <paramref name="hex"/> is null or not exactly 64 hex digits.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out PdqHash hash)
    {
        hash = default;
        if (hex is not { Length: HexLength })
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Bytes32.Length];
        for (var i = 0; i < Bytes32.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        hash = new PdqHash(Bytes32.FromBytes(bytes));
        return true;
    }
}
