namespace MobileAigc.Provenance.Generation.Text;

/// <summary>
/// Changes the next-token logits in place before sampling, e.g. a watermark's bias
/// (<c>TextWatermark.Bias</c> has this shape).
/// </summary>
/// <param name="previousTokens">Every token so far: the prompt, then what has been generated.</param>
/// <param name="logits">The model's raw logits for the next token, one per vocabulary entry.</param>
public delegate void LogitsProcessor(ReadOnlySpan<int> previousTokens, Span<float> logits);
