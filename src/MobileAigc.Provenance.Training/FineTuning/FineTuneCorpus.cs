using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// The creator's examples as the base model's tokens: joined with line feeds in the order given (line ends
/// normalised to LF), the end held out. The held-out characters are predicted from the text before them, as the
/// training examples are, but no training example has a held-out character as its target.
/// </summary>
internal sealed class FineTuneCorpus
{
    private FineTuneCorpus(int[] tokens, int heldOutStart)
    {
        Tokens = tokens;
        HeldOutStart = heldOutStart;
    }

    /// <summary>All the text's tokens: training part, then held-out part.</summary>
    public int[] Tokens { get; }

    /// <summary>The first held-out position; training targets lie before it.</summary>
    public int HeldOutStart { get; }

    /// <summary>Checks and encodes <paramref name="examples"/>.</summary>
    /// <exception cref="FineTuneInputException">When the examples cannot be used; the message says why.</exception>
    public static FineTuneCorpus Build(IReadOnlyList<string> examples, CharVocabulary vocabulary, double heldOutShare)
    {
        if (examples is null || examples.Count == 0)
        {
            throw new FineTuneInputException("No examples: send at least one text to learn from.");
        }

        var normalised = new string[examples.Count];
        var total = 0L;
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            if (example is null || example.Trim().Length < TextFineTuner.MinExampleCharacters)
            {
                throw new FineTuneInputException(
                    $"Example {i + 1} is {(example is null ? "missing" : $"{example.Trim().Length} characters long")}; each example needs at least {TextFineTuner.MinExampleCharacters} characters besides white space.");
            }

            normalised[i] = example.ReplaceLineEndings("\n");
            total += normalised[i].Length + 1;
            if (total > TextFineTuner.MaxTotalCharacters)
            {
                throw new FineTuneInputException($"The examples hold more than {TextFineTuner.MaxTotalCharacters:N0} characters; send less text.");
            }
        }

        var text = string.Join('\n', normalised);
        var known = text.Count(vocabulary.Contains);
        if (known < text.Length * TextFineTuner.MinKnownShare)
        {
            throw new FineTuneInputException(
                $"Only {known:N0} of the examples' {text.Length:N0} characters are characters the base model knows (it needs at least {TextFineTuner.MinKnownShare:P0}); " +
                "the text is probably in another script or a binary file.");
        }

        var heldOutStart = (int)(text.Length * (1 - heldOutShare));
        var heldOut = text.Length - heldOutStart;
        if (heldOut < TextFineTuner.MinHeldOutCharacters || heldOutStart < TextFineTuner.MinTrainingCharacters)
        {
            throw new FineTuneInputException(
                $"The examples hold {text.Length:N0} characters: too little to train on at least {TextFineTuner.MinTrainingCharacters:N0} and hold out at least " +
                $"{TextFineTuner.MinHeldOutCharacters:N0} ({heldOutShare:P0}) to measure the loss. Send more text.");
        }

        return new FineTuneCorpus(vocabulary.Encode(text), heldOutStart);
    }
}
