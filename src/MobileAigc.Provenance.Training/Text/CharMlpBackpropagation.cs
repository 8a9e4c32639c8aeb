namespace MobileAigc.Provenance.Training.Text;

/// <summary>
/// One shard's back-propagation through a <see cref="CharMlp"/>: its own activation buffers and gradient
/// arrays, so shards run in parallel and their gradients are summed afterwards in a fixed order.
/// </summary>
internal sealed class CharMlpBackpropagation(CharMlp model)
{
    private readonly float[] _x = new float[model.InputWidth];
    private readonly float[] _h = new float[model.Hidden];
    private readonly float[] _logits = new float[model.Vocabulary];
    private readonly float[] _dh = new float[model.Hidden];
    private readonly float[] _dx = new float[model.InputWidth];

    /// <summary>The gradients of the last <see cref="Run"/>, in the order of <see cref="CharMlp.Parameters"/>.</summary>
    public float[][] Gradients { get; } = [.. model.Parameters.Select(p => new float[p.Length])];

    /// <summary>The summed cross-entropy (nats) of the last <see cref="Run"/>'s examples.</summary>
    public double Loss { get; private set; }

    /// <summary>Gradients of the softmax cross-entropy of examples <paramref name="first"/>..+<paramref name="count"/>, each scaled by <paramref name="scale"/>.</summary>
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
