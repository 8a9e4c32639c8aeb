namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// The sliced Wasserstein-2 distance between a set of colours and the colours of example pictures: both
/// sets are projected on fixed directions of the RGB cube, each projection is sorted, and the loss is the
/// mean squared difference between the generated colours' sorted projections and the examples' quantiles at
/// the same ranks. It compares whole colour distributions (palette, tone, contrast, how colours go together),
/// not only their means, and it has a gradient for every generated colour.
/// </summary>
/// <remarks>Not thread-safe: one instance per thread (it keeps scratch buffers).</remarks>
internal sealed class SlicedColourLoss
{
    /// <summary>The number of projection directions.</summary>
    public const int DirectionCount = 32;

    private static readonly float[] Directions = FibonacciDirections(DirectionCount);

    private readonly float[][] _sortedTargets;
    private float[] _keys = [];
    private int[] _order = [];

    /// <summary>A loss against <paramref name="targetColours"/> (R, G, B triples in 0..1).</summary>
    /// <exception cref="ArgumentException">When there is no target colour.</exception>
    public SlicedColourLoss(float[] targetColours)
    {
        var count = targetColours.Length / 3;
        if (count == 0)
        {
            throw new ArgumentException("The loss needs at least one target colour.", nameof(targetColours));
        }

        _sortedTargets = new float[DirectionCount][];
        for (var k = 0; k < DirectionCount; k++)
        {
            var projected = new float[count];
            Project(targetColours, count, k, projected);
            Array.Sort(projected);
            _sortedTargets[k] = projected;
        }
    }

    /// <summary>
    /// The loss of <paramref name="count"/> colours, and when <paramref name="gradient"/> is not empty its
    /// gradient with respect to each colour channel (written, not added).
    /// </summary>
    public double Evaluate(ReadOnlySpan<float> colours, int count, Span<float> gradient)
    {
        if (_keys.Length < count)
        {
            _keys = new float[count];
            _order = new int[count];
        }

        var keys = _keys.AsSpan(0, count);
        var order = _order.AsSpan(0, count);
        if (!gradient.IsEmpty)
        {
            gradient[..(count * 3)].Clear();
        }

        var total = 0.0;
        var scale = 2f / (DirectionCount * count);
        for (var k = 0; k < DirectionCount; k++)
        {
            Project(colours, count, k, keys);
            for (var i = 0; i < count; i++)
            {
                order[i] = i;
            }

            keys.Sort(order);
            var targets = _sortedTargets[k];
            var (dr, dg, db) = (Directions[3 * k], Directions[(3 * k) + 1], Directions[(3 * k) + 2]);
            var sum = 0.0;
            for (var i = 0; i < count; i++)
            {
                var difference = keys[i] - Quantile(targets, (i + 0.5) / count);
                sum += difference * difference;
                if (!gradient.IsEmpty)
                {
                    var n = order[i] * 3;
                    var g = scale * difference;
                    gradient[n] += g * dr;
                    gradient[n + 1] += g * dg;
                    gradient[n + 2] += g * db;
                }
            }

            total += sum / count;
        }

        return total / DirectionCount;
    }

    /// <summary>The value at quantile <paramref name="q"/> (0..1) of a sorted array, linearly interpolated.</summary>
    private static float Quantile(float[] sorted, double q)
    {
        var position = Math.Clamp((q * sorted.Length) - 0.5, 0, sorted.Length - 1);
        var below = (int)position;
        var above = Math.Min(below + 1, sorted.Length - 1);
        var t = (float)(position - below);
        return sorted[below] + (t * (sorted[above] - sorted[below]));
    }

    private static void Project(ReadOnlySpan<float> colours, int count, int direction, Span<float> projected)
    {
        var (dr, dg, db) = (Directions[3 * direction], Directions[(3 * direction) + 1], Directions[(3 * direction) + 2]);
        for (var i = 0; i < count; i++)
        {
            projected[i] = (colours[3 * i] * dr) + (colours[(3 * i) + 1] * dg) + (colours[(3 * i) + 2] * db);
        }
    }

    /// <summary>Unit vectors spread evenly over a hemisphere (a Fibonacci lattice): a direction and its opposite measure the same.</summary>
    private static float[] FibonacciDirections(int count)
    {
        var directions = new float[count * 3];
        var golden = Math.PI * (3 - Math.Sqrt(5));
        for (var i = 0; i < count; i++)
        {
            var z = 1 - ((i + 0.5) / count);
            var radius = Math.Sqrt(1 - (z * z));
            var angle = golden * i;
            directions[3 * i] = (float)(radius * Math.Cos(angle));
            directions[(3 * i) + 1] = (float)(radius * Math.Sin(angle));
            directions[(3 * i) + 2] = (float)z;
        }

        return directions;
    }
}
