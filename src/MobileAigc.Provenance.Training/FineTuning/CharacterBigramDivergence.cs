namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// How far generated text is from a creator's examples in the way a character model writes: the Jensen–Shannon
/// divergence, in bits (0 = the same distribution, 1 = nothing shared), between the distribution of character pairs
/// (bigrams, case kept, line ends included) in the generated text and in the examples. Spelling, punctuation,
/// capitalisation and favourite words all shape it. Generating the same amount of text with the same seeds from a base
/// model and from its derivative, the derivative's divergence is the smaller when its output moved toward the examples.
/// </summary>
public sealed class CharacterBigramDivergence
{
    private readonly Dictionary<(char, char), double> _examples;

    /// <summary>A measure against the bigrams of <paramref name="examples"/> (each text on its own; pairs do not cross texts).</summary>
    /// <exception cref="ArgumentException">When the examples hold no pair of characters.</exception>
    public CharacterBigramDivergence(IEnumerable<string> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _examples = Distribution(examples);
        if (_examples.Count == 0)
        {
            throw new ArgumentException("The examples hold no pair of characters.", nameof(examples));
        }
    }

    /// <summary>The divergence (0 to 1 bits) of <paramref name="generated"/> from the examples; 1 when it holds no pair of characters.</summary>
    public double From(string generated)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var other = Distribution([generated]);
        if (other.Count == 0)
        {
            return 1;
        }

        var divergence = 0.0;
        foreach (var pair in _examples.Keys.Union(other.Keys))
        {
            var p = _examples.GetValueOrDefault(pair);
            var q = other.GetValueOrDefault(pair);
            var m = (p + q) / 2;
            divergence += (Term(p, m) + Term(q, m)) / 2;
        }

        return Math.Clamp(divergence, 0, 1);
    }

    private static double Term(double p, double m) => p > 0 ? p * Math.Log2(p / m) : 0;

    private static Dictionary<(char, char), double> Distribution(IEnumerable<string> texts)
    {
        var counts = new Dictionary<(char, char), double>();
        var total = 0L;
        foreach (var text in texts)
        {
            ArgumentNullException.ThrowIfNull(text);
            for (var i = 1; i < text.Length; i++)
            {
                var pair = (text[i - 1], text[i]);
                counts[pair] = counts.GetValueOrDefault(pair) + 1;
                total++;
            }
        }

        foreach (var pair in counts.Keys.ToList())
        {
            counts[pair] /= total;
        }

        return counts;
    }
}
