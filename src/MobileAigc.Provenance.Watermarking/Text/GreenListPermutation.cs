namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// A seeded permutation of the vocabulary [0, V): a balanced Feistel network of <see cref="Rounds"/> rounds over the
/// smallest even number of bits that holds V, restricted to [0, V) by cycle walking (a value outside is permuted again
/// until it falls inside, which keeps a bijection). A context's green list is the tokens the permutation sends below
/// the green list's size: exactly that many tokens, and whether one token is green costs one evaluation instead of
/// drawing the whole list, so a detector can test many keys cheaply.
/// </summary>
/// <remarks>
/// The seed is the keyed pseudo-random value of the context (<see cref="SipHash24"/>); the round functions mix it
/// with a SplitMix64 finaliser. The permutation is deterministic and allocation-free; a value type.
/// </remarks>
internal readonly struct GreenListPermutation
{
    /// <summary>Feistel rounds: six, past the four that make a pseudo-random permutation from pseudo-random round functions.</summary>
    public const int Rounds = 6;

    private readonly ulong _k0, _k1, _k2, _k3, _k4, _k5;
    private readonly int _halfBits;
    private readonly uint _halfMask;
    private readonly uint _size;

    /// <summary>The permutation of [0, <paramref name="size"/>) that <paramref name="seed"/> picks.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="size"/> is below 2.</exception>
    public GreenListPermutation(ulong seed, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1));
        _halfBits = (bits + 1) / 2;
        _halfMask = (1u << _halfBits) - 1;
        _size = (uint)size;
        var state = seed;
        _k0 = NextSplitMix64(ref state);
        _k1 = NextSplitMix64(ref state);
        _k2 = NextSplitMix64(ref state);
        _k3 = NextSplitMix64(ref state);
        _k4 = NextSplitMix64(ref state);
        _k5 = NextSplitMix64(ref state);
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
        var (left, right) = (x >> _halfBits, x & _halfMask);
        (left, right) = (right, left ^ F(_k0, right));
        (left, right) = (right, left ^ F(_k1, right));
        (left, right) = (right, left ^ F(_k2, right));
        (left, right) = (right, left ^ F(_k3, right));
        (left, right) = (right, left ^ F(_k4, right));
        (left, right) = (right, left ^ F(_k5, right));
        return left << _halfBits | right;
    }

    private uint InverseFeistel(uint x)
    {
        var (left, right) = (x >> _halfBits, x & _halfMask);
        (left, right) = (right ^ F(_k5, left), left);
        (left, right) = (right ^ F(_k4, left), left);
        (left, right) = (right ^ F(_k3, left), left);
        (left, right) = (right ^ F(_k2, left), left);
        (left, right) = (right ^ F(_k1, left), left);
        (left, right) = (right ^ F(_k0, left), left);
        return left << _halfBits | right;
    }

    private uint F(ulong roundKey, uint half)
    {
        var z = roundKey + half * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)(z ^ (z >> 31)) & _halfMask;
    }

    private static ulong NextSplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
