using MobileAigc.Provenance.Testing.Text;

namespace MobileAigc.Provenance.Testing.Tests.Text;

/// <summary>The word-edit attacks do exactly what the benchmark's documentation says they do.</summary>
public sealed class WordEditsTests
{
    private const string Text = "one two, three\nfour five six. seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty";

    private static readonly string[] List = ["alpha", "beta's", "gamma", "delta", "épée"];

    private static readonly string[] Original = Words(Text);

    [Fact]
    public void Replace_QuarterOfTwentyWords_ReplacesFiveByListWordsKeepingTheWhitespace()
    {
        var edited = new WordEdits(List).Replace(Text, 0.25, new Random(1));

        var words = Words(edited);
        Assert.Equal(Original.Length, words.Length);
        var changed = Enumerable.Range(0, words.Length).Where(i => words[i] != Original[i]).ToList();
        Assert.Equal(5, changed.Count);
        Assert.All(changed, i => Assert.Contains(words[i], List));
        Assert.Equal(Text.Where(char.IsWhiteSpace), edited.Where(char.IsWhiteSpace));
    }

    [Fact]
    public void Delete_TenPercentOfTwentyWords_RemovesTwoAndKeepsTheRestInOrder()
    {
        var edited = new WordEdits(List).Delete(Text, 0.10, new Random(2));

        var words = Words(edited);
        Assert.Equal(Original.Length - 2, words.Length);
        Assert.True(IsSubsequence(words, Original), edited);
        Assert.False(char.IsWhiteSpace(edited[0]), "no leading whitespace left by a deleted first word");
    }

    [Fact]
    public void Delete_FirstWord_TakesTheWhitespaceAfterIt()
    {
        // With 20 words and share 1, every word goes: nothing is left, not even whitespace between them.
        Assert.Equal(string.Empty, new WordEdits(List).Delete(Text, 1, new Random(3)));
    }

    [Fact]
    public void Insert_TenPercentOfTwentyWords_AddsTwoListWordsAndKeepsTheOriginalInOrder()
    {
        var edited = new WordEdits(List).Insert(Text, 0.10, new Random(4));

        var words = Words(edited);
        Assert.Equal(Original.Length + 2, words.Length);
        Assert.True(IsSubsequence(Original, words), edited);
        var added = words.ToList();
        foreach (var word in Original)
        {
            added.Remove(word);
        }

        Assert.All(added, w => Assert.Contains(w, List));
    }

    [Theory]
    [InlineData("replace")]
    [InlineData("delete")]
    [InlineData("insert")]
    public void Edit_SameSeed_SameText_OtherSeed_OtherText(string attack)
    {
        var edits = new WordEdits(List);
        string Run(int seed) => attack switch
        {
            "replace" => edits.Replace(Text, 0.25, new Random(seed)),
            "delete" => edits.Delete(Text, 0.25, new Random(seed)),
            _ => edits.Insert(Text, 0.25, new Random(seed)),
        };

        Assert.Equal(Run(7), Run(7));
        Assert.Contains(Enumerable.Range(8, 5), seed => Run(seed) != Run(7));
    }

    [Theory]
    [InlineData(20, 0.25, 5)]
    [InlineData(38, 0.10, 4)]
    [InlineData(35, 0.10, 4)]
    [InlineData(34, 0.10, 3)]
    [InlineData(0, 0.25, 0)]
    public void EditedWords_RoundsHalvesAwayFromZero(int words, double share, int expected) =>
        Assert.Equal(expected, WordEdits.EditedWords(words, share));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void EditedWords_ShareOutsideZeroToOne_Throws(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WordEdits.EditedWords(10, share));

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("tab\there")]
    public void Constructor_EmptyOrWhitespaceWord_NamesIt(string bad)
    {
        var error = Assert.Throws<ArgumentException>(() => new WordEdits(["fine", bad]));
        Assert.Contains($"'{bad}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyList_Throws() =>
        Assert.Throws<ArgumentException>(() => new WordEdits([]));

    private static string[] Words(string text) =>
        text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool IsSubsequence(IReadOnlyList<string> part, IReadOnlyList<string> whole)
    {
        var j = 0;
        foreach (var word in whole)
        {
            if (j < part.Count && part[j] == word)
            {
                j++;
            }
        }

        return j == part.Count;
    }
}
