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

    /// <summary>Whether <paramref name="c"/> has a token of its own (is not <c>&lt;unk&gt;</c>).</summary>
    public bool Contains(char c) => _ids.ContainsKey(c);

    /// <summary>The number of tokens.</summary>
    public int Size => Entries.Count;

    /// <summary>The vocabulary of every character in <paramref name="text"/>.</summary>
    public static CharVocabulary FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chars = text.Distinct().Order().Select(c => c.ToString()).ToList();
        return new CharVocabulary(["<pad>", "<unk>", .. chars]);
    }

    /// <summary>The vocabulary a manifest's tokenizer section describes, as <see cref="ToDescription"/> writes it.</summary>
    /// <exception cref="InvalidModelException">When the section is not a <c>char</c> tokenizer with <c>&lt;pad&gt;</c> at id 0 (also the begin token), <c>&lt;unk&gt;</c> at id 1, then distinct single characters.</exception>
    public static CharVocabulary FromDescription(TokenizerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Kind != "char")
        {
            throw new InvalidModelException($"The tokenizer is '{description.Kind}', not the 'char' tokenizer of a character model.");
        }

        var entries = description.Vocabulary;
        if (entries.Count < 3 || entries[PadId] != "<pad>" || entries[UnknownId] != "<unk>"
            || description.PadTokenId != PadId || description.BosTokenId != PadId || description.UnknownTokenId != UnknownId)
        {
            throw new InvalidModelException($"The char tokenizer must have <pad> (id {PadId}, also the begin token), <unk> (id {UnknownId}) and at least one character.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 2; i < entries.Count; i++)
        {
            if (entries[i] is not { Length: 1 } || !seen.Add(entries[i]))
            {
                throw new InvalidModelException($"Vocabulary entry {i} ('{entries[i]}') is not a single character that appears once.");
            }
        }

        return new CharVocabulary([.. entries]);
    }

    /// <summary>The ids of <paramref name="text"/>; a character outside the vocabulary becomes <see cref="UnknownId"/>.</summary>
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
