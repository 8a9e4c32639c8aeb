using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// The green-list watermark of Kirchenbauer et al. ("A Watermark for Large Language Models", 2023):
/// before each token is drawn, the <see cref="TextWatermarkOptions.ContextWidth"/> preceding tokens
/// and a secret key pick a "green" share γ of the vocabulary, and green logits get +δ. A detector
/// with the key counts green tokens; text written without the key has about γ of them, so a green
/// count whose exact binomial chance is at most <see cref="TextWatermarkOptions.FalsePositiveRate"/>
/// shows the watermark. The green list is an exact ⌊γV⌉-token subset: the tokens that a keyed permutation of the
/// vocabulary (<see cref="GreenListPermutation"/>, seeded with SipHash-2-4 under a sub-key of
/// key.Derive("text-watermark"), over V ‖ context) sends below ⌊γV⌉. Telling whether one token is green costs one
/// permutation evaluation (tens of nanoseconds), so a detector can try a thousand keys on a text in milliseconds
/// (version 1 drew the whole list per token with a Fisher–Yates shuffle). Thread-safe.
/// </summary>
public sealed class TextWatermark
{
    /// <summary>The label of the sub-key: <c>text-watermark</c>.</summary>
    public const string KeyPurpose = "text-watermark";

    private readonly SipHash24 _contextHash;

    /// <summary>A watermark with <paramref name="key"/> and <paramref name="options"/> (null: the defaults).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When an option is out of range.</exception>
    public TextWatermark(WatermarkKey key, TextWatermarkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Options = options ?? new TextWatermarkOptions();
        Options.Validate();
        // A sub-key of the purpose's sub-key: what version 1 used directly is never used by this one.
        _contextHash = new SipHash24(HMACSHA256.HashData(key.Derive(KeyPurpose), "green-list-permutation/v2"u8));
    }

    /// <summary>The parameters in force.</summary>
    public TextWatermarkOptions Options { get; }

    /// <summary>The number of green tokens in a vocabulary of <paramref name="vocabularySize"/>: γV rounded, at least 1 and at most V − 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the vocabulary has fewer than 2 tokens.</exception>
    public int GreenListSize(int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 2);
        return Math.Clamp((int)Math.Round(Options.Gamma * vocabularySize, MidpointRounding.AwayFromZero), 1, vocabularySize - 1);
    }

    /// <summary>
    /// Adds δ to the logits of the green tokens for the next position. Pass it to a text generator as
    /// its logits processor. Does nothing while fewer than <see cref="TextWatermarkOptions.ContextWidth"/> tokens precede.
    /// </summary>
    /// <param name="previousTokens">The tokens so far (prompt and generated); only the last <see cref="TextWatermarkOptions.ContextWidth"/> matter.</param>
    /// <param name="logits">The next-token logits, one per vocabulary entry (V = its length), changed in place.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="logits"/> has fewer than 2 entries.</exception>
    public void Bias(ReadOnlySpan<int> previousTokens, Span<float> logits)
    {
        var width = Options.ContextWidth;
        if (previousTokens.Length < width)
        {
            return;
        }

        var delta = (float)Options.Delta;
        var permutation = Permutation(previousTokens[^width..], logits.Length);
        var greenSize = GreenListSize(logits.Length);
        for (var rank = 0; rank < greenSize; rank++)
        {
            logits[permutation.Inverse(rank)] += delta;
        }
    }

    /// <summary>Whether <paramref name="token"/> is on the green list that <paramref name="context"/> picks.</summary>
    /// <param name="context">Exactly <see cref="TextWatermarkOptions.ContextWidth"/> preceding tokens.</param>
    /// <param name="token">The token to test.</param>
    /// <param name="vocabularySize">The vocabulary size V (at least 2).</param>
    /// <exception cref="ArgumentException">When the context has another length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When the token is outside the vocabulary.</exception>
    public bool IsGreen(ReadOnlySpan<int> context, int token, int vocabularySize)
    {
        if (context.Length != Options.ContextWidth)
        {
            throw new ArgumentException($"The context must be {Options.ContextWidth} tokens; got {context.Length}.", nameof(context));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(token);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(token, vocabularySize);
        return Permutation(context, vocabularySize).Forward(token) < GreenListSize(vocabularySize);
    }

    /// <summary>
    /// Scores a token sequence: every distinct (context, token) pair after the first
    /// <see cref="TextWatermarkOptions.ContextWidth"/> tokens counts once, so repeated phrases
    /// cannot inflate the score. The verdict compares the exact binomial tail of the green count
    /// with <see cref="TextWatermarkOptions.FalsePositiveRate"/>, and is
    /// <see cref="TextWatermarkVerdict.TooShortToTell"/> below <see cref="TextWatermarkOptions.MinimumScoredTokens"/>.
    /// </summary>
    /// <remarks>
    /// Why the binomial tail bounds the false-positive rate: for text written without the key, each
    /// green list is a keyed subset of exactly γV tokens, uniformly random as far as the keyed permutation is
    /// indistinguishable from a random one, so a scored pair is green with probability γ whatever the text; pairs with different contexts get independent lists, and
    /// distinct pairs sharing a context draw distinct tokens from one list, which only narrows the
    /// count's spread. The normal approximation this replaced understated short texts' tail about
    /// elevenfold.
    /// </remarks>
    /// <param name="tokens">The text's token ids under the model's tokenizer.</param>
    /// <param name="vocabularySize">The vocabulary size V the text was generated with (at least 2).</param>
    /// <exception cref="ArgumentOutOfRangeException">When V is below 2 or a token is outside the vocabulary.</exception>
    public TextWatermarkDetection Detect(ReadOnlySpan<int> tokens, int vocabularySize)
    {
        var pairs = ScoredPairs.From(tokens, vocabularySize, Options.ContextWidth);
        return Judge(pairs.Count, CountGreen(pairs), vocabularySize);
    }

    /// <summary>How many of <paramref name="pairs"/> have their token on this key's green list: the key-dependent part of <see cref="Detect"/>.</summary>
    /// <exception cref="ArgumentException">When the pairs were taken with another context width than <see cref="TextWatermarkOptions.ContextWidth"/>.</exception>
    public int CountGreen(ScoredPairs pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.ContextWidth != Options.ContextWidth)
        {
            throw new ArgumentException($"The pairs were taken with a context of {pairs.ContextWidth} tokens; this watermark uses {Options.ContextWidth}.", nameof(pairs));
        }

        var greenSize = GreenListSize(pairs.VocabularySize);
        var green = 0;
        for (var i = 0; i < pairs.Count; i++)
        {
            green += Permutation(pairs.Context(i), pairs.VocabularySize).Forward(pairs.Token(i)) < greenSize ? 1 : 0;
        }

        return green;
    }

    /// <summary>
    /// The verdict on <paramref name="green"/> green tokens among <paramref name="scored"/> scored pairs (see <see cref="Detect"/>): the
    /// key-independent part, so a detector that counted many keys' greens judges only the count it reports.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When a count is negative, <paramref name="green"/> exceeds <paramref name="scored"/> or V is below 2.</exception>
    public TextWatermarkDetection Judge(int scored, int green, int vocabularySize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(green);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(green, scored);
        var gamma = (double)GreenListSize(vocabularySize) / vocabularySize;
        var z = scored == 0 ? 0 : (green - (gamma * scored)) / Math.Sqrt(scored * gamma * (1 - gamma));
        var logPValue = BinomialTail.LogUpperTail(scored, green, gamma);
        var verdict = scored < Options.MinimumScoredTokens ? TextWatermarkVerdict.TooShortToTell
            : logPValue <= Math.Log(Options.FalsePositiveRate) ? TextWatermarkVerdict.Watermarked
            : TextWatermarkVerdict.NotWatermarked;
        return new TextWatermarkDetection(scored, green, gamma, z, logPValue, verdict, Options.FalsePositiveRate, Options.MinimumScoredTokens);
    }

    /// <summary>The keyed permutation of the vocabulary that <paramref name="context"/> picks.</summary>
    private GreenListPermutation Permutation(ReadOnlySpan<int> context, int vocabularySize)
    {
        Span<byte> message = stackalloc byte[(context.Length + 1) * sizeof(int)];
        BinaryPrimitives.WriteInt32LittleEndian(message, vocabularySize);
        for (var i = 0; i < context.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(message[((i + 1) * sizeof(int))..], context[i]);
        }

        return new GreenListPermutation(_contextHash.Hash(message), vocabularySize);
    }
}
