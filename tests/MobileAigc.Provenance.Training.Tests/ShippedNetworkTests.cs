using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.Training.Image;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.Tests;

public sealed class ShippedNetworkTests
{
    [Fact]
    public void CppnExport_Twice_GivesSameBytesAsShippedModel()
    {
        var first = CppnImageModel.Export(ShippedDocString(RepositoryPaths.ImageModel));
        var second = CppnImageModel.Export(ShippedDocString(RepositoryPaths.ImageModel));

        Assert.Equal(first, second);
        Assert.Equal(File.ReadAllBytes(Path.Combine(RepositoryPaths.ImageModel, "model.onnx")), first);
    }

    [Fact]
    public void Train_SmallRunTwice_GivesSameOnnxBytes()
    {
        var text = string.Concat(Enumerable.Repeat("In the beginning God created the heaven and the earth.\n", 40));
        var vocabulary = CharVocabulary.FromText(text);
        var options = new CharMlpTrainingOptions { Context = 6, Embedding = 4, Hidden = 16, BatchSize = 32, Steps = 60 };

        var first = CharMlpOnnx.Export(CharMlpTrainer.Train(vocabulary.Encode(text), vocabulary.Size, options, _ => { }).Model, "test");
        var second = CharMlpOnnx.Export(CharMlpTrainer.Train(vocabulary.Encode(text), vocabulary.Size, options, _ => { }).Model, "test");

        Assert.Equal(first, second);
    }

    [Fact]
    public void CharMlpOnnx_Export_MatchesTheManagedForwardPass()
    {
        var text = "And God saw the light, that it was good.\n";
        var vocabulary = CharVocabulary.FromText(text);
        var mlp = new CharMlp(vocabulary.Size, 5, 3, 8, new SeededRandom(3));
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "m.onnx");
        File.WriteAllBytes(path, CharMlpOnnx.Export(mlp, "test"));
        using var model = OnnxModel.Load(path);
        var ids = vocabulary.Encode("God saw");

        // Greedy decoding through ONNX Runtime must follow the managed argmax at every step.
        var tokens = new TextGenerator(model).GenerateTokens(ids, new TextGenerationOptions { Temperature = 0, MaxNewTokens = 6 });

        var sequence = ids.ToList();
        var x = new float[mlp.InputWidth];
        var h = new float[mlp.Hidden];
        var logits = new float[mlp.Vocabulary];
        foreach (var token in tokens)
        {
            var context = Enumerable.Range(sequence.Count - mlp.Context, mlp.Context)
                .Select(i => i < 0 ? CharVocabulary.PadId : sequence[i]).ToArray();
            mlp.Forward(context, x, h, logits);
            Assert.Equal(Array.IndexOf(logits, logits.Max()), token);
            sequence.Add(token);
        }
    }

    private static string ShippedDocString(string folder) => ModelManifest.Load(Path.Combine(folder, ModelManifest.FileName)).Description!;
}
