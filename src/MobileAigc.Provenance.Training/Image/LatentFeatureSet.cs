using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// The fixed features of many of the model's pictures: for each latent, the hidden layers h₃ and h₂ at the
/// same number of seeded pixel positions of a picture of the model's default size. Through the colour
/// head (<c>Forward</c>, <c>Backward</c>) they give those pixels' colours and the gradient
/// of a loss on the colours with respect to the head's parameters.
/// </summary>
internal sealed class LatentFeatureSet
{
    private readonly CppnColourHead _head;
    private readonly float[] _last;
    private readonly float[] _first;
    private readonly float[][] _latents;

    private LatentFeatureSet(CppnColourHead head, float[][] latents, int points, float[] last, float[] first)
    {
        _head = head;
        _latents = latents;
        PointsPerLatent = points;
        _last = last;
        _first = first;
    }

    /// <summary>The number of latents.</summary>
    public int LatentCount => _latents.Length;

    /// <summary>The pixels sampled per latent.</summary>
    public int PointsPerLatent { get; }

    /// <summary>
    /// Runs the probe for every latent at <paramref name="points"/> seeded pixel centres of a
    /// <paramref name="width"/> × <paramref name="height"/> picture, and checks that the head read from the
    /// graph reproduces the graph's own colours there (else the graph is not what the head assumes).
    /// </summary>
    /// <exception cref="InvalidModelException">When the head's colours differ from the graph's.</exception>
    public static LatentFeatureSet Collect(
        CppnFeatureProbe probe, CppnColourHead head, float[][] latents, int points, int width, int height, SeededRandom random, CancellationToken cancellationToken)
    {
        var last = new float[latents.Length * points * head.LastWidth];
        var first = new float[latents.Length * points * head.FirstWidth];
        var positions = new float[points * 2];
        var scale = 2.0 / Math.Min(width, height);
        for (var l = 0; l < latents.Length; l++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < points; i++)
            {
                positions[2 * i] = (float)((random.NextInt(width) + 0.5 - (width / 2.0)) * scale);
                positions[(2 * i) + 1] = (float)((random.NextInt(height) + 0.5 - (height / 2.0)) * scale);
            }

            var features = probe.Run(latents[l], positions, points);
            features.Last.CopyTo(last, l * points * head.LastWidth);
            features.First.CopyTo(first, l * points * head.FirstWidth);
            if (l == 0)
            {
                CheckHead(head, latents[l], features, points);
            }
        }

        return new LatentFeatureSet(head, latents, points, last, first);
    }

    /// <summary>The colours (R, G, B in 0..1) of every point of the given latents under <paramref name="parameters"/>.</summary>
    public void Forward(double[] parameters, ReadOnlySpan<int> latentIndices, Span<float> colours) =>
        Forward(parameters, latentIndices, 0, PointsPerLatent, colours);

    /// <summary>
    /// The colours (R, G, B in 0..1) of points <paramref name="firstPoint"/> to <paramref name="firstPoint"/> + <paramref name="pointCount"/> − 1
    /// of each given latent under <paramref name="parameters"/>, latent after latent.
    /// </summary>
    public void Forward(double[] parameters, ReadOnlySpan<int> latentIndices, int firstPoint, int pointCount, Span<float> colours)
    {
        Span<double> logits = stackalloc double[3];
        Span<double> tint = stackalloc double[3];
        for (var b = 0; b < latentIndices.Length; b++)
        {
            var l = latentIndices[b];
            LatentTint(parameters, _latents[l], tint);
            for (var p = 0; p < pointCount; p++)
            {
                Logits(parameters, (l * PointsPerLatent) + firstPoint + p, tint, logits);
                var o = ((b * pointCount) + p) * 3;
                for (var c = 0; c < 3; c++)
                {
                    colours[o + c] = (float)(1 / (1 + Math.Exp(-_head.Gain * logits[c])));
                }
            }
        }
    }

    /// <summary>
    /// Adds to <paramref name="gradient"/> the gradient with respect to the head's parameters, given the colours
    /// <see cref="Forward(double[], ReadOnlySpan{int}, int, int, Span{float})"/> gave for the same points and the loss's gradient with respect to them.
    /// </summary>
    public void Backward(ReadOnlySpan<int> latentIndices, int firstPoint, int pointCount, ReadOnlySpan<float> colours, ReadOnlySpan<float> colourGradient, double[] gradient)
    {
        var (lastWidth, firstWidth) = (_head.LastWidth, _head.FirstWidth);
        Span<double> logitGradient = stackalloc double[3];
        Span<double> latentSum = stackalloc double[3];
        for (var b = 0; b < latentIndices.Length; b++)
        {
            var l = latentIndices[b];
            latentSum.Clear();
            for (var p = 0; p < pointCount; p++)
            {
                var o = ((b * pointCount) + p) * 3;
                for (var c = 0; c < 3; c++)
                {
                    double s = colours[o + c];
                    logitGradient[c] = colourGradient[o + c] * s * (1 - s) * _head.Gain;
                    latentSum[c] += logitGradient[c];
                }

                var n = (l * PointsPerLatent) + firstPoint + p;
                var last = _last.AsSpan(n * lastWidth, lastWidth);
                for (var j = 0; j < lastWidth; j++)
                {
                    var row = j * 3;
                    gradient[row] += last[j] * logitGradient[0];
                    gradient[row + 1] += last[j] * logitGradient[1];
                    gradient[row + 2] += last[j] * logitGradient[2];
                }

                var first = _first.AsSpan(n * firstWidth, firstWidth);
                for (var j = 0; j < firstWidth; j++)
                {
                    var row = _head.Mix1Offset + (j * 3);
                    gradient[row] += first[j] * logitGradient[0];
                    gradient[row + 1] += first[j] * logitGradient[1];
                    gradient[row + 2] += first[j] * logitGradient[2];
                }
            }

            var latent = _latents[l];
            for (var j = 0; j < latent.Length; j++)
            {
                var row = _head.LatentOffset + (j * 3);
                gradient[row] += latent[j] * latentSum[0];
                gradient[row + 1] += latent[j] * latentSum[1];
                gradient[row + 2] += latent[j] * latentSum[2];
            }

            for (var c = 0; c < 3; c++)
            {
                gradient[_head.BiasOffset + c] += latentSum[c];
            }
        }
    }

    private void Logits(double[] parameters, int n, ReadOnlySpan<double> tint, Span<double> logits)
    {
        var (lastWidth, firstWidth) = (_head.LastWidth, _head.FirstWidth);
        double r = tint[0], g = tint[1], b = tint[2];
        var last = _last.AsSpan(n * lastWidth, lastWidth);
        for (var j = 0; j < lastWidth; j++)
        {
            var row = j * 3;
            r += last[j] * parameters[row];
            g += last[j] * parameters[row + 1];
            b += last[j] * parameters[row + 2];
        }

        var first = _first.AsSpan(n * firstWidth, firstWidth);
        for (var j = 0; j < firstWidth; j++)
        {
            var row = _head.Mix1Offset + (j * 3);
            r += first[j] * parameters[row];
            g += first[j] * parameters[row + 1];
            b += first[j] * parameters[row + 2];
        }

        logits[0] = r;
        logits[1] = g;
        logits[2] = b;
    }

    /// <summary>The per-picture part of the logits: latent·Z + b.</summary>
    private void LatentTint(double[] parameters, float[] latent, Span<double> tint)
    {
        for (var c = 0; c < 3; c++)
        {
            var sum = parameters[_head.BiasOffset + c];
            for (var j = 0; j < latent.Length; j++)
            {
                sum += latent[j] * parameters[_head.LatentOffset + (j * 3) + c];
            }

            tint[c] = sum;
        }
    }

    private static void CheckHead(CppnColourHead head, float[] latent, CppnFeatures features, int points)
    {
        var set = new LatentFeatureSet(head, [latent], points, features.Last, features.First);
        var colours = new float[points * 3];
        set.Forward(head.Parameters, [0], colours);
        var worst = 0.0;
        for (var i = 0; i < colours.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(colours[i] - features.Rgb[i]));
        }

        // Float rounding inside ONNX Runtime stays far below a thousandth of the colour range.
        if (worst > 1e-3)
        {
            throw new InvalidModelException($"The graph's colours are not its colour head's (they differ by up to {worst:F4}): it is not a CPPN image network this tuner can train.");
        }
    }
}
