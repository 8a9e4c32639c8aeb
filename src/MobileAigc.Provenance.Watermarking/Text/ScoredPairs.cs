using System.Buffers.Binary;

namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// The distinct (context, token) pairs of a token sequence that a green-list detector scores: every token after the
/// first <c>contextWidth</c>, with the <c>contextWidth</c> tokens before it, each distinct pair once (so repeated
/// phrases cannot inflate a score). It depends on no key: made once per text, it serves every key tried
/// (<see cref="TextWatermark.CountGreen"/>). Immutable.
/// </summary>
public sealed class ScoredPairs
{
    private readonly int[] _windows;

    private ScoredPairs(int[] windows, int count, int contextWidth, int vocabularySize)
    {
        _windows = windows;
        Count = count;
        ContextWidth = contextWidth;
        VocabularySize = vocabularySize;
    }

    /// <summary>How many distinct pairs are scored.</summary>
    public int Count { get; }

    /// <summary>The context width the pairs were taken with.</summary>
    public int ContextWidth { get; }

    /// <summary>The vocabulary size V the tokens belong to.</summary>
    public int VocabularySize { get; }

    /// <summary>The pairs of <paramref name="tokens"/>.</summary>
    /// <param name="tokens">The text's token ids.</param>
    /// <param name="vocabularySize">V, at least 2.</param>
    /// <param name="contextWidth">How many preceding tokens form a context, 1 to 16.</param>
    /// <exception cref="ArgumentOutOfRangeException">When V is below 2, the width out of range, or a token outside the vocabulary.</exception>
    public static ScoredPairs From(ReadOnlySpan<int> tokens, int vocabularySize, int contextWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contextWidth, 16);
        foreach (var token in tokens)
        {
            if ((uint)token >= (uint)vocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token {token} is outside the vocabulary of {vocabularySize}.");
            }
        }

        var stride = contextWidth + 1;
        var windows = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var window = new byte[stride * sizeof(int)];
        var count = 0;
        for (var i = contextWidth; i < tokens.Length; i++)
        {
            for (var j = 0; j < stride; j++)
            {
                BinaryPrimitives.WriteInt32LittleEndian(window.AsSpan(j * sizeof(int)), tokens[i - contextWidth + j]);
            }

            if (seen.Add(Convert.ToBase64String(window)))
            {
                windows.AddRange(tokens[(i - contextWidth)..(i + 1)]);
                count++;
            }
        }

        return new ScoredPairs([.. windows], count, contextWidth, vocabularySize);
    }

    /// <summary>The context (<see cref="ContextWidth"/> tokens) of pair <paramref name="index"/>.</summary>
    internal ReadOnlySpan<int> Context(int index) => _windows.AsSpan(index * (ContextWidth + 1), ContextWidth);

    /// <summary>The token of pair <paramref name="index"/>.</summary>
    internal int Token(int index) => _windows[(index * (ContextWidth + 1)) + ContextWidth];
}
