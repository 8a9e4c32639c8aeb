using System.Numerics;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// A fixed-context character language model (Bengio et al., 2003): the embeddings of the last
/// <see cref="Context"/> tokens, concatenated, feed one tanh hidden layer, then the vocabulary's logits.
/// Weights are row-major: <see cref="W1"/> is [Context·Embedding, Hidden], <see cref="W2"/> is [Hidden, Vocabulary].
/// </summary>
public sealed class CharMlp
{
    /// <summary>Fresh weights from <paramref name="random"/>: scaled normal weights, zero biases.</summary>
    public CharMlp(int vocabulary, int context, int embedding, int hidden, Generation.SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Vocabulary = vocabulary;
        Context = context;
        Embedding = embedding;
        Hidden = hidden;
        Emb = Normal(random, vocabulary * embedding, 1.0);
        W1 = Normal(random, context * embedding * hidden, 1.0 / Math.Sqrt(context * embedding));
        B1 = new float[hidden];
        W2 = Normal(random, hidden * vocabulary, 0.5 / Math.Sqrt(hidden));
        B2 = new float[vocabulary];
    }

    /// <summary>A model with the given weights (kept, not copied), e.g. read back from a file.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a dimension is not positive.</exception>
    /// <exception cref="ArgumentException">When an array's length does not match the dimensions.</exception>
    public CharMlp(int vocabulary, int context, int embedding, int hidden, float[] emb, float[] w1, float[] b1, float[] w2, float[] b2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabulary);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embedding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        Vocabulary = vocabulary;
        Context = context;
        Embedding = embedding;
        Hidden = hidden;
        Emb = Checked(emb, (long)vocabulary * embedding, nameof(emb));
        W1 = Checked(w1, (long)context * embedding * hidden, nameof(w1));
        B1 = Checked(b1, hidden, nameof(b1));
        W2 = Checked(w2, (long)hidden * vocabulary, nameof(w2));
        B2 = Checked(b2, vocabulary, nameof(b2));
    }

    /// <summary>The vocabulary size.</summary>
    public int Vocabulary { get; }

    /// <summary>The tokens of context.</summary>
    public int Context { get; }

    /// <summary>The embedding width.</summary>
    public int Embedding { get; }

    /// <summary>The hidden width.</summary>
    public int Hidden { get; }

    /// <summary>Embeddings [Vocabulary, Embedding].</summary>
    public float[] Emb { get; }

    /// <summary>Hidden weights [Context·Embedding, Hidden].</summary>
    public float[] W1 { get; }

    /// <summary>Hidden bias [Hidden].</summary>
    public float[] B1 { get; }

    /// <summary>Output weights [Hidden, Vocabulary].</summary>
    public float[] W2 { get; }

    /// <summary>Output bias [Vocabulary].</summary>
    public float[] B2 { get; }

    /// <summary>Every parameter array, in a fixed order (for the optimiser).</summary>
    public float[][] Parameters => [Emb, W1, B1, W2, B2];

    /// <summary>The input width of the hidden layer.</summary>
    public int InputWidth => Context * Embedding;

    /// <summary>A deep copy: training the copy leaves this model's weights as they are.</summary>
    public CharMlp Copy() =>
        new(Vocabulary, Context, Embedding, Hidden, [.. Emb], [.. W1], [.. B1], [.. W2], [.. B2]);

    /// <summary>The logits after <paramref name="context"/> (exactly <see cref="Context"/> ids, oldest first); fills <paramref name="x"/>, <paramref name="h"/> and <paramref name="logits"/>.</summary>
    public void Forward(ReadOnlySpan<int> context, Span<float> x, Span<float> h, Span<float> logits)
    {
        for (var s = 0; s < Context; s++)
        {
            Emb.AsSpan(context[s] * Embedding, Embedding).CopyTo(x[(s * Embedding)..]);
        }

        B1.CopyTo(h);
        for (var d = 0; d < InputWidth; d++)
        {
            Axpy(x[d], W1.AsSpan(d * Hidden, Hidden), h);
        }

        for (var j = 0; j < Hidden; j++)
        {
            h[j] = MathF.Tanh(h[j]);
        }

        B2.CopyTo(logits);
        for (var j = 0; j < Hidden; j++)
        {
            Axpy(h[j], W2.AsSpan(j * Vocabulary, Vocabulary), logits);
        }
    }

    /// <summary>y += a·x, vectorised.</summary>
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var vy = new Vector<float>(y[i..]) + (va * new Vector<float>(x[i..]));
                vy.CopyTo(y[i..]);
            }
        }

        for (; i < x.Length; i++)
        {
            y[i] += a * x[i];
        }
    }

    /// <summary>x·y, vectorised.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var i = 0;
        var sum = 0f;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                acc += new Vector<float>(x[i..]) * new Vector<float>(y[i..]);
            }

            sum = Vector.Sum(acc);
        }

        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    private static float[] Checked(float[] values, long expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        return values.LongLength == expected
            ? values
            : throw new ArgumentException($"{name} holds {values.LongLength} values; the dimensions need {expected}.", name);
    }

    private static float[] Normal(Generation.SeededRandom random, int count, double scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextGaussian() * scale);
        }

        return values;
    }
}
