using ZXing.Common.ReedSolomon;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Turns a 64-bit payload into the codeword the image carries and back: payload (64 bits) and a
/// keyed tag of it (<see cref="MacBits"/> bits, <see cref="PayloadMac"/>) make 15 six-bit data symbols, protected by
/// Reed-Solomon over GF(64) (ZXing's <see cref="GenericGF.AZTEC_DATA_6"/>). A reading is accepted only
/// when the Reed-Solomon decoder succeeds and the caller accepts the tag: the codec holds no key, so one
/// decoding serves every key a reader tries.
/// </summary>
internal sealed class PayloadCodec
{
    public const int SymbolBits = 6;
    public const int DataSymbols = 15;
    public const int MacBits = DataSymbols * SymbolBits - 64;

    private readonly ReedSolomonDecoder _decoder = new(GenericGF.AZTEC_DATA_6);

    public PayloadCodec(int codewordSymbols)
    {
        if (codewordSymbols <= DataSymbols || codewordSymbols > 63)
        {
            throw new ArgumentOutOfRangeException(nameof(codewordSymbols), codewordSymbols, "GF(64) Reed-Solomon codewords hold 16 to 63 symbols here.");
        }

        CodewordSymbols = codewordSymbols;
    }

    public int CodewordSymbols { get; }

    public int ParitySymbols => CodewordSymbols - DataSymbols;

    public int CodewordBits => CodewordSymbols * SymbolBits;

    /// <summary>The codeword bits of <paramref name="payload"/> and its <paramref name="tag"/> (<see cref="PayloadMac.Tag"/>), most significant bit of each symbol first.</summary>
    public bool[] Encode(ulong payload, ulong tag)
    {
        var symbols = new int[CodewordSymbols];
        var data = (UInt128)payload << MacBits | (tag & ((1UL << MacBits) - 1));
        for (var i = 0; i < DataSymbols; i++)
        {
            symbols[i] = (int)(data >> ((DataSymbols - 1 - i) * SymbolBits)) & 63;
        }

        // ZXing's encoder caches generator polynomials in a list: not thread-safe, so one per call.
        new ReedSolomonEncoder(GenericGF.AZTEC_DATA_6).encode(symbols, ParitySymbols);
        var bits = new bool[CodewordBits];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = (symbols[i / SymbolBits] >> (SymbolBits - 1 - i % SymbolBits) & 1) == 1;
        }

        return bits;
    }

    /// <summary>
    /// Decodes hard decisions with Chase search: the plain hard decision first, then flips of the least reliable bits in
    /// order of likelihood (<see cref="ChasePatterns"/>), up to <paramref name="attempts"/> Reed-Solomon decodings in all. True
    /// only when Reed-Solomon succeeds and <paramref name="accept"/> accepts the decoded payload and tag.
    /// </summary>
    /// <param name="bits">The hard decisions.</param>
    /// <param name="reliability">Per bit, how sure the decision is (non-negative, any scale: log-likelihood ratios rank best).</param>
    /// <param name="attempts">How many words are decoded at most, the hard decision included (1: no Chase). Each is one attempt in the false-positive bound.</param>
    /// <param name="accept">Given a decoded payload and its tag, whether a key the reader holds made that tag.</param>
    /// <param name="payload">The payload when true.</param>
    /// <param name="correctedSymbols">How many symbols of the hard decision the accepted codeword differs in.</param>
    /// <param name="correctedBits">How many bits of the hard decision the accepted codeword differs in.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is below 1, or a reliability is negative.</exception>
    public bool TryDecode(ReadOnlySpan<bool> bits, ReadOnlySpan<double> reliability, int attempts, Func<ulong, ulong, bool> accept, out ulong payload, out int correctedSymbols, out int correctedBits)
    {
        var hard = ToSymbols(bits);
        foreach (var flips in ChasePatterns.MostLikely(reliability[..CodewordBits].ToArray(), attempts))
        {
            var received = (int[])hard.Clone();
            foreach (var bit in flips)
            {
                received[bit / SymbolBits] ^= 1 << (SymbolBits - 1 - bit % SymbolBits);
            }

            if (TryDecodeSymbols(received, accept, out payload))
            {
                correctedSymbols = 0;
                correctedBits = 0;
                for (var i = 0; i < CodewordSymbols; i++)
                {
                    correctedSymbols += received[i] != hard[i] ? 1 : 0;
                    correctedBits += System.Numerics.BitOperations.PopCount((uint)(received[i] ^ hard[i]));
                }

                return true;
            }
        }

        payload = 0;
        correctedSymbols = 0;
        correctedBits = 0;
        return false;
    }

    private int[] ToSymbols(ReadOnlySpan<bool> bits)
    {
        var symbols = new int[CodewordSymbols];
        for (var i = 0; i < CodewordBits; i++)
        {
            symbols[i / SymbolBits] = symbols[i / SymbolBits] << 1 | (bits[i] ? 1 : 0);
        }

        return symbols;
    }

    /// <summary>Reed-Solomon decodes <paramref name="received"/> in place and asks <paramref name="accept"/> about the tag.</summary>
    private bool TryDecodeSymbols(int[] received, Func<ulong, ulong, bool> accept, out ulong payload)
    {
        payload = 0;
        if (!_decoder.decode(received, ParitySymbols))
        {
            return false;
        }

        UInt128 data = 0;
        for (var i = 0; i < DataSymbols; i++)
        {
            data = data << SymbolBits | (uint)received[i];
        }

        var candidate = (ulong)(data >> MacBits);
        if (!accept(candidate, (ulong)(data & ((UInt128)1 << MacBits) - 1)))
        {
            return false;
        }

        payload = candidate;
        return true;
    }
}
