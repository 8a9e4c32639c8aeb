using System.Diagnostics;
using MobileAigc.Provenance.Generation;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// Trains <see cref="CharMlp"/> with hand-written back-propagation and Adam. Each batch is split into a
/// fixed number of shards run in parallel, whose gradients are summed in a fixed order, so a run's
/// result does not depend on the number of cores or on scheduling. Training from fresh weights (the
/// shipped model) and from given weights (fine-tuning) are the same code path, <see cref="Optimise"/>.
/// </summary>
public static class CharMlpTrainer
{
    private const int Shards = 2;
    private const int RecentSteps = 1000;

    /// <summary>Trains fresh weights on <paramref name="tokens"/> (the corpus as ids); reports progress through <paramref name="log"/>.</summary>
    public static CharMlpTrainingResult Train(int[] tokens, int vocabulary, CharMlpTrainingOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var random = new SeededRandom(options.Seed);
        var model = new CharMlp(vocabulary, options.Context, options.Embedding, options.Hidden, random);
        var trainEnd = (int)(tokens.Length * (1 - options.ValidationShare));

        var trainLoss = Optimise(model, tokens, trainEnd, options, random, step =>
        {
            if (step.Step % 2000 == 0 || step.Step == 1)
            {
                log($"step {step.Step,6}/{step.Steps}  loss {step.Loss:F4}  lr {step.LearningRate:F5}  {clock.Elapsed.TotalSeconds:F0}s");
            }
        }, CancellationToken.None);

        var validation = Evaluate(model, tokens, trainEnd, tokens.Length);
        clock.Stop();
        return new CharMlpTrainingResult(model, trainLoss, validation, clock.Elapsed);
    }

    /// <summary>
    /// Trains <paramref name="model"/> in place for <see cref="CharMlpTrainingOptions.Steps"/> Adam steps on the
    /// next-token examples at positions 1..<paramref name="trainEnd"/>−1 of <paramref name="tokens"/> (each sees the
    /// <see cref="CharMlp.Context"/> tokens before it, padding before the start), drawn from <paramref name="random"/>.
    /// The options' architecture fields are ignored: the model fixes them.
    /// </summary>
    /// <returns>The mean training loss (nats per character) over the last 1,000 steps (all steps when fewer).</returns>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="trainEnd"/> is below 2 or beyond the tokens, or the batch is not a positive multiple of the shard count (2).</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled; it is checked before every step, and the model then holds the weights of the last finished step.</exception>
    public static double Optimise(
        CharMlp model,
        int[] tokens,
        int trainEnd,
        CharMlpTrainingOptions options,
        SeededRandom random,
        Action<CharMlpTrainingStep>? onStep,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainEnd, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainEnd, tokens.Length);
        if (options.BatchSize <= 0 || options.BatchSize % Shards != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"The batch size must be a positive multiple of {Shards}.");
        }

        var shardSize = options.BatchSize / Shards;
        var workers = Enumerable.Range(0, Shards).Select(_ => new CharMlpBackpropagation(model)).ToArray();
        var shardGradients = workers.Select(w => w.Gradients).ToArray();
        var adam = new AdamOptimiser(model.Parameters);
        var recentLoss = 0.0;
        var recentCount = 0;

        var contexts = new int[options.BatchSize * model.Context];
        var targets = new int[options.BatchSize];
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Draw the batch on this thread so that the example order is fixed by the seed alone.
            for (var b = 0; b < options.BatchSize; b++)
            {
                var p = 1 + random.NextInt(trainEnd - 1);
                targets[b] = tokens[p];
                var cut = random.NextDouble() < options.TruncationRate ? random.NextInt(model.Context) + 1 : 0;
                for (var s = 0; s < model.Context; s++)
                {
                    var source = p - model.Context + s;
                    contexts[(b * model.Context) + s] = source < 0 || s < cut ? CharVocabulary.PadId : tokens[source];
                }
            }

            Parallel.For(0, Shards, shard => workers[shard].Run(contexts, targets, shard * shardSize, shardSize, 1f / options.BatchSize));

            var lossSum = workers.Sum(w => w.Loss);
            if (step > options.Steps - RecentSteps)
            {
                recentLoss += lossSum / options.BatchSize;
                recentCount++;
            }

            var lr = options.LearningRate * (1 - (0.9 * (step - 1) / options.Steps));
            adam.Step(step, lr, shardGradients);
            onStep?.Invoke(new CharMlpTrainingStep(step, options.Steps, lossSum / options.BatchSize, lr));
        }

        return recentLoss / Math.Max(1, recentCount);
    }

    /// <summary>Mean cross-entropy (nats) of predicting tokens[start..end) from their full contexts.</summary>
    public static double Evaluate(CharMlp model, int[] tokens, int start, int end) =>
        Evaluate(model, tokens, start, end, CancellationToken.None);

    /// <summary>Mean cross-entropy (nats) of predicting tokens[start..end) from their full contexts; <paramref name="cancellationToken"/> is checked every 4,096 positions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the range is empty or outside the tokens.</exception>
    /// <exception cref="OperationCanceledException">When cancelled.</exception>
    public static double Evaluate(CharMlp model, int[] tokens, int start, int end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, tokens.Length);
        var partial = new double[Shards];
        var chunk = (end - start + Shards - 1) / Shards;
        Parallel.For(0, Shards, shard =>
        {
            var x = new float[model.InputWidth];
            var h = new float[model.Hidden];
            var logits = new float[model.Vocabulary];
            var context = new int[model.Context];
            var sum = 0.0;
            for (var p = start + (shard * chunk); p < Math.Min(end, start + ((shard + 1) * chunk)); p++)
            {
                if ((p & 4095) == 0 && cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                for (var s = 0; s < model.Context; s++)
                {
                    var source = p - model.Context + s;
                    context[s] = source < 0 ? CharVocabulary.PadId : tokens[source];
                }

                model.Forward(context, x, h, logits);
                sum += LogSumExp(logits) - logits[tokens[p]];
            }

            partial[shard] = sum;
        });

        cancellationToken.ThrowIfCancellationRequested();
        return partial.Sum() / (end - start);
    }

    private static double LogSumExp(ReadOnlySpan<float> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var l in logits)
        {
            max = Math.Max(max, l);
        }

        var sum = 0.0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        return max + Math.Log(sum);
    }
}
