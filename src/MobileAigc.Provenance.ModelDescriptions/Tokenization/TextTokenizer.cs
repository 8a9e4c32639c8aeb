using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.ModelDescriptions.Tokenization;

/// <summary>Turns text into a model's token ids and back, from the vocabulary in its manifest.</summary>
public abstract class TextTokenizer
{
    /// <summary>The number of tokens in the vocabulary.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Token ids for <paramref name="text"/>; text outside the vocabulary becomes the unknown token.</summary>
    /// <exception cref="ArgumentException">When the text holds something outside the vocabulary and the tokenizer has no unknown token.</exception>
    public abstract int[] Encode(string text);

    /// <summary>The text of <paramref name="tokens"/>; special tokens (padding, begin, end, unknown) are left out.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When an id is outside the vocabulary.</exception>
    public abstract string Decode(ReadOnlySpan<int> tokens);

    /// <summary>The tokenizer a manifest describes: <c>char</c> or <c>word</c>.</summary>
    /// <exception cref="InvalidModelException">When the kind is unknown, the vocabulary is empty or repeats an entry, a special id is out of range, or a <c>char</c> entry is not one character.</exception>
    public static TextTokenizer FromDescription(TokenizerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (description.Vocabulary.Count == 0)
        {
            throw new InvalidModelException("The tokenizer's vocabulary is empty.");
        }

        foreach (var id in new[] { description.UnknownTokenId, description.BosTokenId, description.EosTokenId, description.PadTokenId })
        {
            if (id is { } value && (value < 0 || value >= description.Vocabulary.Count))
            {
                throw new InvalidModelException($"Special token id {value} is outside the vocabulary of {description.Vocabulary.Count}.");
            }
        }

        return description.Kind switch
        {
            "char" => new CharTokenizer(description),
            "word" => new WordTokenizer(description),
            _ => throw new InvalidModelException($"Unknown tokenizer kind '{description.Kind}'; expected 'char' or 'word'."),
        };
    }

    /// <summary>Ids of the special tokens, which decode to nothing.</summary>
    private protected static HashSet<int> SpecialIds(TokenizerDescription description) =>
        new[] { description.UnknownTokenId, description.BosTokenId, description.EosTokenId, description.PadTokenId }
            .Where(id => id is not null)
            .Select(id => id!.Value)
            .ToHashSet();

    /// <summary>Throws unless every id is in the vocabulary.</summary>
    private protected void EnsureInVocabulary(ReadOnlySpan<int> tokens)
    {
        foreach (var token in tokens)
        {
            if ((uint)token >= (uint)VocabularySize)
            {
                throw new ArgumentOutOfRangeException(nameof(tokens), $"Token id {token} is outside the vocabulary of {VocabularySize}.");
            }
        }
    }
}

/// <summary>A character-level tokenizer: one token per character.</summary>
public sealed class CharTokenizer : TextTokenizer
{
    private readonly string[] _vocabulary;
    private readonly Dictionary<char, int> _ids = [];
    private readonly HashSet<int> _special;
    private readonly int? _unknown;

    /// <summary>A tokenizer over the manifest's vocabulary; entries other than special tokens must be single characters.</summary>
    /// <exception cref="InvalidModelException">When an ordinary entry is not exactly one character or appears twice.</exception>
    public CharTokenizer(TokenizerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        _vocabulary = [.. description.Vocabulary];
        _special = SpecialIds(description);
        _unknown = description.UnknownTokenId;
        for (var i = 0; i < _vocabulary.Length; i++)
        {
            if (_special.Contains(i))
            {
                continue;
            }

            if (_vocabulary[i].Length != 1)
            {
                throw new InvalidModelException($"Entry {i} of a char vocabulary is '{_vocabulary[i]}', not one character.");
            }

            if (!_ids.TryAdd(_vocabulary[i][0], i))
            {
                throw new InvalidModelException($"Character '{_vocabulary[i]}' appears twice in the vocabulary.");
            }
        }
    }

    /// <inheritdoc/>
    public override int VocabularySize => _vocabulary.Length;

    /// <inheritdoc/>
    public override int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new int[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            tokens[i] = _ids.TryGetValue(text[i], out var id)
                ? id
                : _unknown ?? throw new ArgumentException($"Character U+{(int)text[i]:X4} at {i} is not in the vocabulary and there is no unknown token.", nameof(text));
        }

        return tokens;
    }

    /// <inheritdoc/>
    public override string Decode(ReadOnlySpan<int> tokens)
    {
        EnsureInVocabulary(tokens);
        var builder = new System.Text.StringBuilder(tokens.Length);
        foreach (var token in tokens)
        {
            if (!_special.Contains(token))
            {
                builder.Append(_vocabulary[token]);
            }
        }

        return builder.ToString();
    }
}

/// <summary>A word-level tokenizer: text splits on white space, each word one token; decoding joins words with a space.</summary>
public sealed class WordTokenizer : TextTokenizer
{
    private readonly string[] _vocabulary;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly HashSet<int> _special;
    private readonly int? _unknown;

    /// <summary>A tokenizer over the manifest's vocabulary.</summary>
    /// <exception cref="InvalidModelException">When an ordinary entry is empty, holds white space or appears twice.</exception>
    public WordTokenizer(TokenizerDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        _vocabulary = [.. description.Vocabulary];
        _special = SpecialIds(description);
        _unknown = description.UnknownTokenId;
        for (var i = 0; i < _vocabulary.Length; i++)
        {
            if (_special.Contains(i))
            {
                continue;
            }

            if (_vocabulary[i].Length == 0 || _vocabulary[i].Any(char.IsWhiteSpace))
            {
                throw new InvalidModelException($"Entry {i} of a word vocabulary, '{_vocabulary[i]}', is empty or holds white space.");
            }

            if (!_ids.TryAdd(_vocabulary[i], i))
            {
                throw new InvalidModelException($"Word '{_vocabulary[i]}' appears twice in the vocabulary.");
            }
        }
    }

    /// <inheritdoc/>
    public override int VocabularySize => _vocabulary.Length;

    /// <inheritdoc/>
    public override int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return [.. words.Select(word => _ids.TryGetValue(word, out var id)
            ? id
            : _unknown ?? throw new ArgumentException($"Word '{word}' is not in the vocabulary and there is no unknown token.", nameof(text)))];
    }

    /// <inheritdoc/>
    public override string Decode(ReadOnlySpan<int> tokens)
    {
        EnsureInVocabulary(tokens);
        var words = new List<string>(tokens.Length);
        foreach (var token in tokens)
        {
            if (!_special.Contains(token))
            {
                words.Add(_vocabulary[token]);
            }
        }

        return string.Join(' ', words);
    }
}
