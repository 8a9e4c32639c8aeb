using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// The character vocabulary of the text model: id 0 is padding and begin-of-text (<c>&lt;pad&gt;</c>),
/// id 1 stands for any character the corpus lacks (<c>&lt;unk&gt;</c>), then every character of the
/// corpus in ordinal order.
/// </summary>
public sealed class CharVocabulary
{
    /// <summary>The padding and begin-of-text token.</summary>
    public const int PadId = 0;

    /// <summary>The unknown-character token.</summary>
    public const int UnknownId = 1;

    private readonly Dictionary<char, int> _ids;

    private CharVocabulary(IReadOnlyList<string> entries)
    {
        Entries = entries;
        _ids = [];
        for (var i = 2; i < entries.Count; i++)
        {
            _ids[entries[i][0]] = i;
        }
    }

    /// <summary>Token i is entry i.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The number of tokens.</summary>
    public int Size => Entries.Count;

    /// <summary>The vocabulary of every character in <paramref name="text"/>.</summary>
    public static CharVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Distinct().Order().Select(c => c.ToString()).ToList();
        return new CharVocabulary(["<pad>", "<unk>", .. chars]);
    }

    /// <summary>The ids of <paramref name="text"/>.</summary>
    public int[] Encode(string text) => [.. text.Select(c => _ids.TryGetValue(c, out var id) ? id : UnknownId)];

    /// <summary>The manifest's tokenizer section for this vocabulary.</summary>
    public TokenizerDescription ToDescription() => new()
    {
        Kind = "char",
        Vocabulary = Entries,
        PadTokenId = PadId,
        BosTokenId = PadId,
        UnknownTokenId = UnknownId,
    };
}
