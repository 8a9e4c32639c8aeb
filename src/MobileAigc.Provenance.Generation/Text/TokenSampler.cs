namespace MobileAigc.Provenance.Generation.Text;

/// <summary>Draws a token from logits with temperature, top-k and top-p; deterministic for a seed.</summary>
internal sealed class TokenSampler(TextGenerationOptions options)
{
    private readonly SeededRandom _random = new(options.Seed);
    private int[] _order = [];
    private double[] _weights = [];

    public int Sample(ReadOnlySpan<float> logits)
    {
        if (options.Temperature == 0)
        {
            return ArgMax(logits);
        }

        var n = logits.Length;
        if (_order.Length != n)
        {
            _order = new int[n];
            _weights = new double[n];
        }

        for (var i = 0; i < n; i++)
        {
            _order[i] = i;
        }

        // Most likely first; ties by id so that the order never depends on the sort's internals.
        var copy = logits.ToArray();
        Array.Sort(_order, (a, b) => copy[b] != copy[a] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));

        var kept = options.TopK > 0 ? Math.Min(options.TopK, n) : n;
        var max = (double)copy[_order[0]];
        var total = 0.0;
        for (var i = 0; i < kept; i++)
        {
            var w = Math.Exp((copy[_order[i]] - max) / options.Temperature);
            _weights[i] = double.IsNaN(w) ? 0 : w;
            total += _weights[i];
        }

        if (options.TopP < 1)
        {
            var cumulative = 0.0;
            for (var i = 0; i < kept; i++)
            {
                cumulative += _weights[i];
                if (cumulative >= options.TopP * total)
                {
                    kept = i + 1;
                    total = cumulative;
                    break;
                }
            }
        }

        var u = _random.NextDouble() * total;
        for (var i = 0; i < kept; i++)
        {
            u -= _weights[i];
            if (u < 0)
            {
                return _order[i];
            }
        }

        return _order[kept - 1];
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        return best;
    }
}
