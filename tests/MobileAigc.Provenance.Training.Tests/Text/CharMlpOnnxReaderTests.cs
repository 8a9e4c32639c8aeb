using Google.Protobuf;
using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.Text;
using Onnx;

namespace MobileAigc.Provenance.Training.Tests.Text;

public sealed class CharMlpOnnxReaderTests
{
    private static byte[] ShippedBytes => File.ReadAllBytes(Path.Combine(RepositoryPaths.TextModel, "model.onnx"));

    [Fact]
    public void Load_ShippedModelExportedAgainWithItsDocString_GivesTheSameBytes()
    {
        var folder = CharMlpModelDirectory.Load(RepositoryPaths.TextModel);

        var again = CharMlpOnnx.Export(folder.File.Model, folder.Manifest.Description!);

        Assert.Equal(ShippedBytes, again);
        Assert.Equal(folder.Manifest.Sha256, folder.Sha256);
        Assert.Equal((65, 12, 16, 256), (folder.File.Model.Vocabulary, folder.File.Model.Context, folder.File.Model.Embedding, folder.File.Model.Hidden));
        Assert.Equal(65, folder.Vocabulary.Size);
        Assert.Empty(folder.File.Metadata);
    }

    [Fact]
    public void Read_ExportWithMetadata_GivesTheWeightsAndMetadataBack()
    {
        var mlp = new CharMlp(7, 3, 2, 5, new SeededRandom(9));
        var bytes = CharMlpOnnx.Export(mlp, "doc", "producer", [KeyValuePair.Create("k1", "v1"), KeyValuePair.Create("k2", "")]);

        var file = CharMlpOnnxReader.Read(bytes);

        Assert.Equal(mlp.Parameters, file.Model.Parameters);
        Assert.Equal(("doc", "producer"), (file.DocString, file.Producer));
        Assert.Equal([KeyValuePair.Create("k1", "v1"), KeyValuePair.Create("k2", "")], file.Metadata);
    }

    [Fact]
    public void Read_NotProtobuf_ThrowsInvalidModelException()
    {
        var e = Assert.Throws<InvalidModelException>(() => CharMlpOnnxReader.Read(ShippedBytes[..1000]));

        Assert.Contains("not an ONNX model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ImageModel_ThrowsInvalidModelExceptionNamingTheGraph()
    {
        var e = Assert.Throws<InvalidModelException>(() => CharMlpOnnxReader.Read(File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx"))));

        Assert.Contains("not a character MLP", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Tamperings => new()
    {
        { "drop output.bias", "The graph has no initializer 'output.bias'." },
        { "int hidden.bias", "The initializer 'hidden.bias' holds Int64, not float." },
        { "short embedding", "The initializer 'embedding' has shape [65, 16] but 4156 bytes of raw data." },
        { "rank of output.weight", "The initializer 'output.weight' has shape [16640]; expected 2 positive dimension(s)." },
        { "vocabulary of output.bias", "The weights' shapes do not fit together" },
        { "another node", "The graph around the weights is not the one CharMlpOnnx writes" },
        { "twice", "The initializer 'embedding' appears twice." },
    };

    [Theory]
    [MemberData(nameof(Tamperings))]
    public void Read_TamperedGraph_ThrowsInvalidModelExceptionSayingWhat(string tampering, string message)
    {
        var proto = ModelProto.Parser.ParseFrom(ShippedBytes);
        var initializers = proto.Graph.Initializer;
        TensorProto Named(string name) => initializers.Single(t => t.Name == name);
        switch (tampering)
        {
            case "drop output.bias":
                initializers.Remove(Named("output.bias"));
                break;
            case "int hidden.bias":
                Named("hidden.bias").DataType = (int)TensorProto.Types.DataType.Int64;
                break;
            case "short embedding":
                Named("embedding").RawData = ByteString.CopyFrom(Named("embedding").RawData.Span[..4156]);
                break;
            case "rank of output.weight":
                Named("output.weight").Dims.Clear();
                Named("output.weight").Dims.Add(16640);
                break;
            case "vocabulary of output.bias":
                Named("output.bias").Dims[0] = 64;
                Named("output.bias").RawData = ByteString.CopyFrom(Named("output.bias").RawData.Span[..256]);
                break;
            case "another node":
                proto.Graph.Node[^1].OpType = "Sub";
                break;
            case "twice":
                initializers.Add(Named("embedding").Clone());
                break;
        }

        var e = Assert.Throws<InvalidModelException>(() => CharMlpOnnxReader.Read(proto.ToByteArray()));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManifestVocabularyOfAnotherSize_ThrowsInvalidModelException()
    {
        using var folder = new TemporaryFolder();
        var manifest = ModelManifest.Load(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName));
        var tokenizer = manifest.Text!.Tokenizer with { Vocabulary = [.. manifest.Text.Tokenizer.Vocabulary.SkipLast(1)] };
        File.WriteAllText(Path.Combine(folder.Path, ModelManifest.FileName), (manifest with { Text = manifest.Text with { Tokenizer = tokenizer } }).ToJson());
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), ShippedBytes);

        var e = Assert.Throws<InvalidModelException>(() => CharMlpModelDirectory.Load(folder.Path));

        Assert.Contains("vocabulary has 64 tokens but the weights have 65", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WordTokenizer_ThrowsInvalidModelException()
    {
        using var folder = new TemporaryFolder();
        var manifest = ModelManifest.Load(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName));
        File.WriteAllText(Path.Combine(folder.Path, ModelManifest.FileName), (manifest with { Text = manifest.Text! with { Tokenizer = manifest.Text.Tokenizer with { Kind = "word" } } }).ToJson());
        File.WriteAllBytes(Path.Combine(folder.Path, "model.onnx"), ShippedBytes);

        var e = Assert.Throws<InvalidModelException>(() => CharMlpModelDirectory.Load(folder.Path));

        Assert.Contains("not the 'char' tokenizer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingOnnxFile_ThrowsFileNotFoundException()
    {
        using var folder = new TemporaryFolder();
        File.Copy(Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName), Path.Combine(folder.Path, ModelManifest.FileName));

        Assert.Throws<FileNotFoundException>(() => CharMlpModelDirectory.Load(folder.Path));
    }
}
