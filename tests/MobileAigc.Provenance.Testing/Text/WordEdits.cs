using System.Text;

namespace MobileAigc.Provenance.Testing.Text;

/// <summary>
/// The edits people make to a text, at the word level, drawn at random from a word list (the text watermark's robustness
/// benchmark uses Debian's <c>wamerican</c>): replace, delete or insert a share of the words. Exact, so that anyone can
/// re-run them:
/// <list type="bullet">
/// <item>a word is a maximal run of non-whitespace characters (<see cref="char.IsWhiteSpace(char)"/>), punctuation
/// attached to it included; the text has n of them, and an attack of share f edits k = round(f·n) (halves away from 0);</item>
/// <item><see cref="Replace"/> picks k distinct words uniformly (a partial Fisher–Yates shuffle of the indices) and puts
/// in the place of each a word drawn uniformly from the list (with repetition), the whitespace around kept;</item>
/// <item><see cref="Delete"/> picks k distinct words the same way and removes each with the whitespace before it (the
/// first word: with the whitespace after it);</item>
/// <item><see cref="Insert"/> draws k words from the list and puts each, followed by one space, before a word chosen
/// uniformly among the n (with repetition: several may land before the same word); all draws of each attack come from
/// the one <see cref="Random"/> passed in, in the order written here, so a seed fixes the result.</item>
/// </list>
/// Immutable; the <see cref="Random"/> passed in is not thread-safe.
/// </summary>
public sealed class WordEdits
{
    private readonly string[] _words;

    /// <summary>Edits that draw from <paramref name="words"/>.</summary>
    /// <exception cref="ArgumentException">When the list is empty or a word is empty or holds whitespace.</exception>
    public WordEdits(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        _words = [.. words];
        if (_words.Length == 0)
        {
            throw new ArgumentException("The word list is empty.", nameof(words));
        }

        if (_words.FirstOrDefault(w => w.Length == 0 || w.Any(char.IsWhiteSpace)) is { } bad)
        {
            throw new ArgumentException($"Word '{bad}' is empty or holds whitespace.", nameof(words));
        }
    }

    /// <summary>How many words the list holds.</summary>
    public int Count => _words.Length;

    /// <summary>Edits drawing from a word list file, one word a line (blank lines skipped).</summary>
    /// <exception cref="FileNotFoundException">When the file is missing.</exception>
    public static WordEdits Load(string path) =>
        new(File.ReadLines(path).Where(line => line.Length > 0));

    /// <summary>How many words an attack of share <paramref name="share"/> edits in a text of <paramref name="words"/> words: round(share·n).</summary>
    public static int EditedWords(int words, double share)
    {
        if (!(share is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(share), share, "The share of words to edit must be 0 to 1.");
        }

        return (int)Math.Round(share * words, MidpointRounding.AwayFromZero);
    }

    /// <summary><paramref name="text"/> with round(share·n) of its words replaced by random words of the list.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the share is not 0 to 1.</exception>
    public string Replace(string text, double share, Random random)
    {
        var (words, gaps) = Split(text);
        foreach (var index in Pick(words.Count, EditedWords(words.Count, share), random))
        {
            words[index] = Draw(random);
        }

        return Join(words, gaps);
    }

    /// <summary><paramref name="text"/> with round(share·n) of its words deleted, each with the whitespace before it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the share is not 0 to 1.</exception>
    public string Delete(string text, double share, Random random)
    {
        var (words, gaps) = Split(text);
        var deleted = Pick(words.Count, EditedWords(words.Count, share), random).ToHashSet();
        var s = new StringBuilder(text.Length);
        var first = true;
        for (var i = 0; i < words.Count; i++)
        {
            if (deleted.Contains(i))
            {
                continue;
            }

            // The gap before a kept word is the one before it in the text, or the leading one for the first kept word.
            s.Append(first ? gaps[0] : gaps[i]).Append(words[i]);
            first = false;
        }

        return s.Append(gaps[^1]).ToString();
    }

    /// <summary><paramref name="text"/> with round(share·n) random words of the list inserted before random words of it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the share is not 0 to 1.</exception>
    public string Insert(string text, double share, Random random)
    {
        var (words, gaps) = Split(text);
        var inserted = new List<string>[words.Count];
        var count = EditedWords(words.Count, share);
        for (var k = 0; k < count; k++)
        {
            var word = Draw(random);
            (inserted[random.Next(words.Count)] ??= []).Add(word);
        }

        var s = new StringBuilder(text.Length + (count * 10));
        for (var i = 0; i < words.Count; i++)
        {
            s.Append(gaps[i]);
            foreach (var word in inserted[i] ?? [])
            {
                s.Append(word).Append(' ');
            }

            s.Append(words[i]);
        }

        return s.Append(gaps[^1]).ToString();
    }

    private string Draw(Random random) => _words[random.Next(_words.Length)];

    /// <summary>k distinct indices of [0, n), uniformly: the first k of a partial Fisher–Yates shuffle.</summary>
    private static IEnumerable<int> Pick(int n, int k, Random random)
    {
        var indices = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = i + random.Next(n - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }

        return indices.Take(k);
    }

    /// <summary>The words of <paramref name="text"/> and the n + 1 whitespace runs around them (the first and last may be empty).</summary>
    private static (List<string> Words, List<string> Gaps) Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        var gaps = new List<string>();
        var i = 0;
        while (true)
        {
            var start = i;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            gaps.Add(text[start..i]);
            if (i == text.Length)
            {
                return (words, gaps);
            }

            start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            words.Add(text[start..i]);
        }
    }

    private static string Join(List<string> words, List<string> gaps)
    {
        var s = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            s.Append(gaps[i]).Append(words[i]);
        }

        return s.Append(gaps[^1]).ToString();
    }
}
