using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.ModelDescriptions.Tokenization;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.ModelDescriptions.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void CharTokenizer_ShippedVocabulary_RoundTripsAndMapsUnknown()
    {
        var manifest = ModelManifest.Load(Path.Combine(RepositoryPaths.Models, "kjv-char-mlp", ModelManifest.FileName));
        var tokenizer = TextTokenizer.FromDescription(manifest.Text!.Tokenizer);

        var ids = tokenizer.Encode("And God said, Let there be light.");
        var unknown = tokenizer.Encode("1611");

        Assert.Equal("And God said, Let there be light.", tokenizer.Decode(ids));
        Assert.All(unknown, id => Assert.Equal(manifest.Text.Tokenizer.UnknownTokenId, id));
        Assert.Equal(string.Empty, tokenizer.Decode(unknown));
    }

    [Fact]
    public void WordTokenizer_SplitsOnWhiteSpace()
    {
        var tokenizer = TextTokenizer.FromDescription(new TokenizerDescription
        {
            Kind = "word",
            Vocabulary = ["<s>", "</s>", "<unk>", "the", "cat", "sat"],
            BosTokenId = 0,
            EosTokenId = 1,
            UnknownTokenId = 2,
        });

        var ids = tokenizer.Encode("the  cat\nsat dog");

        Assert.Equal([3, 4, 5, 2], ids);
        Assert.Equal("the cat sat", tokenizer.Decode(ids));
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([42]));
    }

    [Theory]
    [InlineData("bpe", new[] { "a", "b" })]
    [InlineData("char", new string[0])]
    [InlineData("char", new[] { "a", "bc" })]
    [InlineData("char", new[] { "a", "a" })]
    public void FromDescription_InvalidVocabulary_ThrowsInvalidModel(string kind, string[] vocabulary)
    {
        var description = new TokenizerDescription { Kind = kind, Vocabulary = vocabulary };

        Assert.Throws<InvalidModelException>(() => TextTokenizer.FromDescription(description));
    }
}
