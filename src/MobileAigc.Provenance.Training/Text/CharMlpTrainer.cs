using System.Diagnostics;
using MobileAigc.Provenance.Generation;

namespace MobileAigc.Provenance.Training.Text;

/// <summary>The settings of a training run; each changes the model's bytes.</summary>
public sealed record CharMlpTrainingOptions
{
    /// <summary>Context tokens. Default 12.</summary>
    public int Context { get; init; } = 12;

    /// <summary>Embedding width. Default 16.</summary>
    public int Embedding { get; init; } = 16;

    /// <summary>Hidden width. Default 256.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>Examples per step. Default 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Optimiser steps. Default 24,000 (about 2.3 passes over the corpus).</summary>
    public int Steps { get; init; } = 24_000;

    /// <summary>Adam's peak learning rate, decayed linearly to a tenth. Default 0.003.</summary>
    public double LearningRate { get; init; } = 0.003;

    /// <summary>The chance that an example's context is cut short (left-padded), so the model can start from few tokens. Default 0.1.</summary>
    public double TruncationRate { get; init; } = 0.1;

    /// <summary>The share of the corpus held out (its end) for the validation loss. Default 0.05.</summary>
    public double ValidationShare { get; init; } = 0.05;

    /// <summary>The seed of initial weights and example order. Default 20240601.</summary>
    public ulong Seed { get; init; } = 20240601;
}

/// <summary>What a training run produced.</summary>
/// <param name="Model">The trained weights.</param>
/// <param name="TrainLoss">Mean cross-entropy (nats per character) over the last 1,000 steps.</param>
/// <param name="ValidationLoss">Mean cross-entropy on the held-out end of the corpus.</param>
/// <param name="Elapsed">Wall-clock training time (not part of any output file).</param>
public sealed record CharMlpTrainingResult(CharMlp Model, double TrainLoss, double ValidationLoss, TimeSpan Elapsed);

/// <summary>
/// Trains <see cref="CharMlp"/> with hand-written back-propagation and Adam. Each batch is split into a
/// fixed number of shards run in parallel, whose gradients are summed in a fixed order, so a run's
/// result does not depend on the number of cores or on scheduling.
/// </summary>
public static class CharMlpTrainer
{
    private const int Shards = 2;

    /// <summary>Trains on <paramref name="tokens"/> (the corpus as ids); reports progress through <paramref name="log"/>.</summary>
    public static CharMlpTrainingResult Train(int[] tokens, int vocabulary, CharMlpTrainingOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var random = new SeededRandom(options.Seed);
        var model = new CharMlp(vocabulary, options.Context, options.Embedding, options.Hidden, random);
        var parameters = model.Parameters;
        var trainEnd = (int)(tokens.Length * (1 - options.ValidationShare));

        var shardSize = options.BatchSize / Shards;
        var workers = Enumerable.Range(0, Shards).Select(_ => new Worker(model)).ToArray();
        var m = parameters.Select(p => new float[p.Length]).ToArray();
        var v = parameters.Select(p => new float[p.Length]).ToArray();
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        var recentLoss = 0.0;
        var recentCount = 0;

        var contexts = new int[options.BatchSize * options.Context];
        var targets = new int[options.BatchSize];
        for (var step = 1; step <= options.Steps; step++)
        {
            // Draw the batch on this thread so that the example order is fixed by the seed alone.
            for (var b = 0; b < options.BatchSize; b++)
            {
                var p = 1 + random.NextInt(trainEnd - 1);
                targets[b] = tokens[p];
                var cut = random.NextDouble() < options.TruncationRate ? random.NextInt(options.Context) + 1 : 0;
                for (var s = 0; s < options.Context; s++)
                {
                    var source = p - options.Context + s;
                    contexts[(b * options.Context) + s] = source < 0 || s < cut ? CharVocabulary.PadId : tokens[source];
                }
            }

            Parallel.For(0, Shards, shard => workers[shard].Run(contexts, targets, shard * shardSize, shardSize, 1f / options.BatchSize));

            var lossSum = workers.Sum(w => w.Loss);
            if (step > options.Steps - 1000)
            {
                recentLoss += lossSum / options.BatchSize;
                recentCount++;
            }

            var lr = options.LearningRate * (1 - (0.9 * (step - 1) / options.Steps));
            var correction1 = 1 - Math.Pow(beta1, step);
            var correction2 = 1 - Math.Pow(beta2, step);
            var stepSize = (float)(lr * Math.Sqrt(correction2) / correction1);
            for (var k = 0; k < parameters.Length; k++)
            {
                var param = parameters[k];
                var mk = m[k];
                var vk = v[k];
                var g0 = workers[0].Gradients[k];
                var g1 = workers[1].Gradients[k];
                for (var i = 0; i < param.Length; i++)
                {
                    var g = g0[i] + g1[i];
                    mk[i] = (float)((beta1 * mk[i]) + ((1 - beta1) * g));
                    vk[i] = (float)((beta2 * vk[i]) + ((1 - beta2) * g * g));
                    param[i] -= stepSize * mk[i] / (MathF.Sqrt(vk[i]) + (float)epsilon);
                }
            }

            if (step % 2000 == 0 || step == 1)
            {
                log($"step {step,6}/{options.Steps}  loss {lossSum / options.BatchSize:F4}  lr {lr:F5}  {clock.Elapsed.TotalSeconds:F0}s");
            }
        }

        var validation = Evaluate(model, tokens, trainEnd, tokens.Length);
        clock.Stop();
        return new CharMlpTrainingResult(model, recentLoss / Math.Max(1, recentCount), validation, clock.Elapsed);
    }

    /// <summary>Mean cross-entropy (nats) of predicting tokens[start..end) from their full contexts.</summary>
    public static double Evaluate(CharMlp model, int[] tokens, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokens);
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

    /// <summary>One shard's buffers: activations and its own gradient arrays.</summary>
    private sealed class Worker(CharMlp model)
    {
        private readonly float[] _x = new float[model.InputWidth];
        private readonly float[] _h = new float[model.Hidden];
        private readonly float[] _logits = new float[model.Vocabulary];
        private readonly float[] _dh = new float[model.Hidden];
        private readonly float[] _dx = new float[model.InputWidth];

        public float[][] Gradients { get; } = model.Parameters.Select(p => new float[p.Length]).ToArray();

        public double Loss { get; private set; }

        public void Run(int[] contexts, int[] targets, int first, int count, float scale)
        {
            foreach (var g in Gradients)
            {
                Array.Clear(g);
            }

            var gEmb = Gradients[0];
            var gW1 = Gradients[1];
            var gB1 = Gradients[2];
            var gW2 = Gradients[3];
            var gB2 = Gradients[4];
            var loss = 0.0;
            for (var b = first; b < first + count; b++)
            {
                var context = contexts.AsSpan(b * model.Context, model.Context);
                model.Forward(context, _x, _h, _logits);

                // Softmax cross-entropy; _logits becomes dLoss/dlogits.
                var max = float.NegativeInfinity;
                foreach (var l in _logits)
                {
                    max = MathF.Max(max, l);
                }

                var sum = 0f;
                for (var i = 0; i < _logits.Length; i++)
                {
                    _logits[i] = MathF.Exp(_logits[i] - max);
                    sum += _logits[i];
                }

                var target = targets[b];
                loss -= Math.Log(_logits[target] / sum);
                for (var i = 0; i < _logits.Length; i++)
                {
                    _logits[i] = _logits[i] / sum * scale;
                }

                _logits[target] -= scale;

                CharMlp.Axpy(1f, _logits, gB2);
                for (var j = 0; j < model.Hidden; j++)
                {
                    var row = model.W2.AsSpan(j * model.Vocabulary, model.Vocabulary);
                    CharMlp.Axpy(_h[j], _logits, gW2.AsSpan(j * model.Vocabulary, model.Vocabulary));
                    _dh[j] = CharMlp.Dot(row, _logits) * (1 - (_h[j] * _h[j]));
                }

                CharMlp.Axpy(1f, _dh, gB1);
                for (var d = 0; d < model.InputWidth; d++)
                {
                    var row = model.W1.AsSpan(d * model.Hidden, model.Hidden);
                    CharMlp.Axpy(_x[d], _dh, gW1.AsSpan(d * model.Hidden, model.Hidden));
                    _dx[d] = CharMlp.Dot(row, _dh);
                }

                for (var s = 0; s < model.Context; s++)
                {
                    CharMlp.Axpy(1f, _dx.AsSpan(s * model.Embedding, model.Embedding), gEmb.AsSpan(context[s] * model.Embedding, model.Embedding));
                }
            }

            Loss = loss;
        }
    }
}
