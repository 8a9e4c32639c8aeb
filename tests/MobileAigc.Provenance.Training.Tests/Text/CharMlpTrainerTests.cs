using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.Tests.Text;

public sealed class CharMlpTrainerTests
{
    private static readonly CharMlp Model = new(5, 3, 2, 4, new SeededRandom(1));
    private static readonly int[] Tokens = [.. Enumerable.Range(0, 10_000).Select(i => 2 + (i % 3))];

    [Fact]
    public void Evaluate_Cancelled_ThrowsOperationCanceledException()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => CharMlpTrainer.Evaluate(Model, Tokens, 0, Tokens.Length, cancellation.Token));
    }

    [Fact]
    public void Evaluate_EmptyRange_ThrowsArgumentOutOfRangeException()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CharMlpTrainer.Evaluate(Model, Tokens, 50, 50));
    }

    [Fact]
    public void Optimise_OddBatch_ThrowsArgumentOutOfRangeException()
    {
        var options = new CharMlpTrainingOptions { BatchSize = 7, Steps = 1 };

        Assert.Throws<ArgumentOutOfRangeException>(() => CharMlpTrainer.Optimise(Model.Copy(), Tokens, Tokens.Length, options, new SeededRandom(1), null, CancellationToken.None));
    }

    [Fact]
    public void Optimise_FromGivenWeights_LowersTheLossAndLeavesTheOriginalAlone()
    {
        var copy = Model.Copy();
        var before = CharMlpTrainer.Evaluate(copy, Tokens, 9_000, Tokens.Length);
        var original = Model.Parameters.Select(p => p.ToArray()).ToArray();

        CharMlpTrainer.Optimise(copy, Tokens, 9_000, new CharMlpTrainingOptions { BatchSize = 16, Steps = 200, LearningRate = 0.01 }, new SeededRandom(2), null, CancellationToken.None);

        Assert.True(CharMlpTrainer.Evaluate(copy, Tokens, 9_000, Tokens.Length) < before / 2);
        Assert.Equal(original, Model.Parameters);
    }
}
