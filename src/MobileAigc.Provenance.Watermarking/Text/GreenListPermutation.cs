namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// A seeded permutation of the vocabulary [0, V): a Feistel network of <see cref="Rounds"/> rounds over the smallest
/// power of two that holds V (halves of ⌊b/2⌋ and ⌈b/2⌉ bits that swap places each round, so odd widths need no
/// padding), restricted to [0, V) by cycle walking (a value outside is permuted again until it falls inside, which
/// keeps a bijection; under two steps on average). A context's green list is the tokens the permutation sends below the
/// green list's size: exactly that many tokens, and whether one token is green costs one evaluation instead of drawing
/// the whole list, so a detector can test many keys cheaply.
/// </summary>
/// <remarks>
/// The seed is the keyed pseudo-random value of the context (<see cref="SipHash24"/>); each round function mixes it,
/// a per-round constant and its input with the SplitMix64 finaliser. After two rounds of random round functions one
/// input's image is uniform; six rounds put the family well past the four Luby and Rackoff need for a pseudo-random
/// permutation. Deterministic and allocation-free; a value type.
/// </remarks>
internal readonly struct GreenListPermutation
{
    /// <summary>Feistel rounds: six (even, so the halves end where they started).</summary>
    public const int Rounds = 6;

    private static readonly ulong[] RoundConstants =
    [
        0x243F6A8885A308D3UL, 0x13198A2E03707344UL, 0xA4093822299F31D0UL,
        0x082EFA98EC4E6C89UL, 0x452821E638D01377UL, 0xBE5466CF34E90C6CUL,
    ];

    private readonly ulong _seed;
    private readonly int _leftBits;
    private readonly int _rightBits;
    private readonly uint _size;

    /// <summary>The permutation of [0, <paramref name="size"/>) that <paramref name="seed"/> picks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="size"/> is below 2.</exception>
    public GreenListPermutation(ulong seed, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var bits = Math.Max(2, 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1)));
        _leftBits = bits / 2;
        _rightBits = bits - _leftBits;
        _size = (uint)size;
        _seed = seed;
    }

    /// <summary>Where <paramref name="value"/> (in [0, V)) goes.</summary>
    public int Forward(int value)
    {
        var x = (uint)value;
        do
        {
            x = Feistel(x);
        }
        while (x >= _size);

        return (int)x;
    }

    /// <summary>What goes to <paramref name="value"/> (in [0, V)): the inverse of <see cref="Forward"/>.</summary>
    public int Inverse(int value)
    {
        var x = (uint)value;
        do
        {
            x = InverseFeistel(x);
        }
        while (x >= _size);

        return (int)x;
    }

    private uint Feistel(uint x)
    {
        // (left, right) of (a, b) bits becomes (right, left ^ F(right)) of (b, a) bits.
        var (a, b) = (_leftBits, _rightBits);
        var (left, right) = (x >> b, x & Mask(b));
        for (var round = 0; round < Rounds; round++)
        {
            (left, right) = (right, (left ^ F(round, right)) & Mask(a));
            (a, b) = (b, a);
        }

        return left << b | right;
    }

    private uint InverseFeistel(uint x)
    {
        var (a, b) = (_leftBits, _rightBits);
        var (left, right) = (x >> b, x & Mask(b));
        for (var round = Rounds - 1; round >= 0; round--)
        {
            // Undo: the left half was the right one; the right half was the left one masked with F of it.
            (a, b) = (b, a);
            (left, right) = ((right ^ F(round, left)) & Mask(a), left);
        }

        return left << b | right;
    }

    private static uint Mask(int bits) => (1u << bits) - 1;

    private uint F(int round, uint half)
    {
        var z = (_seed ^ RoundConstants[round]) + (half * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)(z ^ (z >> 31));
    }
}
