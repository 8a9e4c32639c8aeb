using MobileAigc.Provenance.Generation;

using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Fits the colour head's parameters by Adam on the sliced colour loss: each step renders the sampled
/// pixels of a batch of latents through the head, compares their colours with the examples', and
/// follows the gradient. Single-threaded, every sum in a fixed order: the same inputs give the same
/// parameters bit for bit.
/// </summary>
internal static class ColourHeadTrainer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;
    private const int RecentSteps = 10;

    /// <summary>Pixels of each latent's picture one step looks at: a window of its sampled pixels that moves every step.</summary>
    public const int PointsPerStep = 512;

    /// <summary>The parameters after <see cref="FineTuneSettings.Steps"/> steps from <paramref name="start"/> (not modified).</summary>
    /// <exception cref="OperationCanceledException">When cancelled (checked before every step).</exception>
    public static double[] Train(
        LatentFeatureSet features, SlicedColourLoss loss, double[] start, FineTuneSettings settings,
        IProgress<FineTuneProgress>? progress, CancellationToken cancellationToken)
    {
        var parameters = (double[])start.Clone();
        var gradient = new double[parameters.Length];
        var moment = new double[parameters.Length];
        var velocity = new double[parameters.Length];
        var batch = Math.Min(settings.BatchSize, features.LatentCount);
        var points = Math.Min(PointsPerStep, features.PointsPerLatent);
        var samples = batch * points;
        var colours = new float[samples * 3];
        var colourGradient = new float[samples * 3];
        var order = Enumerable.Range(0, features.LatentCount).ToArray();
        var random = new SeededRandom(settings.Seed ^ 0xBA7C_4E5UL);
        var next = order.Length;
        var indices = new int[batch];
        var recent = new Queue<double>();
        progress?.Report(new FineTuneProgress(0, settings.Steps, null));
        for (var step = 0; step < settings.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var b = 0; b < batch; b++)
            {
                if (next == order.Length)
                {
                    Shuffle(order, random);
                    next = 0;
                }

                indices[b] = order[next++];
            }

            var firstPoint = step % (features.PointsPerLatent / points) * points;
            features.Forward(parameters, indices, firstPoint, points, colours);
            var value = loss.Evaluate(colours, samples, colourGradient);
            Array.Clear(gradient);
            features.Backward(indices, firstPoint, points, colours, colourGradient, gradient);

            // Linear decay to a tenth: large moves first, then settling.
            var rate = settings.LearningRate * (1 - (0.9 * step / settings.Steps));
            var correction1 = 1 - Math.Pow(Beta1, step + 1);
            var correction2 = 1 - Math.Pow(Beta2, step + 1);
            for (var i = 0; i < parameters.Length; i++)
            {
                moment[i] = (Beta1 * moment[i]) + ((1 - Beta1) * gradient[i]);
                velocity[i] = (Beta2 * velocity[i]) + ((1 - Beta2) * gradient[i] * gradient[i]);
                parameters[i] -= rate * (moment[i] / correction1) / (Math.Sqrt(velocity[i] / correction2) + Epsilon);
            }

            recent.Enqueue(value);
            if (recent.Count > RecentSteps)
            {
                recent.Dequeue();
            }

            progress?.Report(new FineTuneProgress(step + 1, settings.Steps, recent.Average()));
        }

        return parameters;
    }

    /// <summary>The loss of the head with <paramref name="parameters"/> over every latent of <paramref name="features"/>.</summary>
    public static double Evaluate(LatentFeatureSet features, SlicedColourLoss loss, double[] parameters)
    {
        var indices = Enumerable.Range(0, features.LatentCount).ToArray();
        var colours = new float[indices.Length * features.PointsPerLatent * 3];
        features.Forward(parameters, indices, colours);
        return loss.Evaluate(colours, indices.Length * features.PointsPerLatent, []);
    }

    private static void Shuffle(int[] values, SeededRandom random)
    {
        for (var i = values.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }
}
