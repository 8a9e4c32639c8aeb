using System.Text;
using System.Text.RegularExpressions;

namespace MobileAigc.Provenance.ModelBuilder.Corpus;

/// <summary>
/// Makes the training text from the King James Version as Debian's <c>bible-kjv</c> prints it
/// (<c>bible -m 8192 "Gen1:1-Rev22:21"</c>): chapter headings and verse numbers dropped, one verse
/// per line, a chosen set of books so that the shipped file stays near 1.3 MB.
/// </summary>
public static partial class KjvCorpus
{
    /// <summary>The books kept, in canonical order: narrative, poetry, prophecy, gospels.</summary>
    public static readonly IReadOnlyList<string> Books =
    [
        "Genesis", "Exodus", "Ruth", "1 Samuel", "Job", "Psalms", "Proverbs", "Ecclesiastes", "Isaiah", "Matthew", "John",
    ];

    /// <summary>The verses of <see cref="Books"/> from the <c>bible</c> program's output, one per line.</summary>
    /// <exception cref="InvalidDataException">When the text has no chapter headings, so it is not that output.</exception>
    public static string Extract(string bibleOutput)
    {
        ArgumentNullException.ThrowIfNull(bibleOutput);
        var lines = bibleOutput.ReplaceLineEndings("\n").Split('\n');
        var keep = Books.ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        var verse = new StringBuilder();
        string? book = null;
        var headings = 0;

        void Flush()
        {
            if (verse.Length > 0 && book is not null && keep.Contains(book))
            {
                text.Append(verse.ToString().Trim()).Append('\n');
            }

            verse.Clear();
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i > 0 && lines[i - 1].Length == 0 && Heading().Match(line) is { Success: true } heading)
            {
                Flush();
                book = heading.Groups[1].Value;
                headings++;
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            if (VerseStart().Match(line) is { Success: true } start)
            {
                Flush();
                verse.Append(start.Groups[1].Value);
            }
            else
            {
                verse.Append(' ').Append(line.Trim());
            }
        }

        Flush();
        return headings == 0
            ? throw new InvalidDataException("No chapter headings found: expected the output of the 'bible' program.")
            : text.ToString();
    }

    [GeneratedRegex(@"^(\S.*) \d+$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s+\d+ (.*)$")]
    private static partial Regex VerseStart();
}
