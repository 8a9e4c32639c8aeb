using System.Globalization;
using System.Security.Cryptography;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.Tests.Text;

public sealed class CharMlpTrainerPinTests
{
    [Fact]
    public void Train_SmallRun_GivesTheBytesOfTheTrainerBeforeFineTuningSharedIt()
    {
        // Pinned from the trainer before training from given weights became the same code path, so the
        // shipped model still rebuilds to its committed hash (for this kind of machine: see docs/models.md).
        var text = string.Concat(Enumerable.Repeat("In the beginning God created the heaven and the earth.\nAnd the earth was without form, and void.\n", 30));
        var vocabulary = CharVocabulary.FromText(text);
        var options = new CharMlpTrainingOptions { Context = 6, Embedding = 4, Hidden = 16, BatchSize = 32, Steps = 300, Seed = 5 };

        var result = CharMlpTrainer.Train(vocabulary.Encode(text), vocabulary.Size, options, _ => { });

        Assert.Equal("3a6676ccbfd6d8d04cb18d9919e3b93d1d77a47dbda666cfe61dfce0cc2ccf04", Convert.ToHexStringLower(SHA256.HashData(CharMlpOnnx.Export(result.Model, "pin"))));
        Assert.Equal("1.4090399763937633", result.ValidationLoss.ToString("R", CultureInfo.InvariantCulture));
    }
}
