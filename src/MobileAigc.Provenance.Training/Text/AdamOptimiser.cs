namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// Adam (Kingma and Ba, 2015) over a fixed list of parameter arrays, with bias correction folded into the
/// step size. The arithmetic is fixed (float moments, double constants), so the same gradients give the
/// same weights on every run.
/// </summary>
internal sealed class AdamOptimiser(float[][] parameters)
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly float[][] _m = [.. parameters.Select(p => new float[p.Length])];
    private readonly float[][] _v = [.. parameters.Select(p => new float[p.Length])];

    /// <summary>Applies step <paramref name="step"/> (1-based) at <paramref name="learningRate"/>; parameter k's gradient is the sum of <paramref name="shardGradients"/>[s][k] over shards s, in shard order.</summary>
    public void Step(int step, double learningRate, IReadOnlyList<float[][]> shardGradients)
    {
        var correction1 = 1 - Math.Pow(Beta1, step);
        var correction2 = 1 - Math.Pow(Beta2, step);
        var stepSize = (float)(learningRate * Math.Sqrt(correction2) / correction1);
        for (var k = 0; k < parameters.Length; k++)
        {
            var param = parameters[k];
            var mk = _m[k];
            var vk = _v[k];
            for (var i = 0; i < param.Length; i++)
            {
                var g = shardGradients[0][k][i];
                for (var s = 1; s < shardGradients.Count; s++)
                {
                    g += shardGradients[s][k][i];
                }

                mk[i] = (float)((Beta1 * mk[i]) + ((1 - Beta1) * g));
                vk[i] = (float)((Beta2 * vk[i]) + ((1 - Beta2) * g * g));
                param[i] -= stepSize * mk[i] / (MathF.Sqrt(vk[i]) + (float)Epsilon);
            }
        }
    }
}
