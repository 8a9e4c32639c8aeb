using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.ModelDescriptions.Tokenization;

namespace MobileAigc.Provenance.Generation.Text;

/// <summary>
/// Generates tokens with any causal language model that has the standard Hugging Face signature:
/// input <c>input_ids</c> int64 [batch, sequence] (optionally <c>attention_mask</c> and
/// <c>position_ids</c>, int64 [batch, sequence]) and output <c>logits</c> float [batch, sequence, vocabulary].
/// It runs batch 1 without a key/value cache, feeding the whole sequence each step, or only its last
/// <see cref="TextModelSection.ContextLength"/> tokens when the manifest bounds the context.
/// Not thread-safe: use one generator per thread (they may share the model).
/// </summary>
public sealed class TextGenerator
{
    /// <summary>The input that carries token ids.</summary>
    public const string InputIdsName = "input_ids";

    /// <summary>The optional input that marks real tokens (fed as all ones).</summary>
    public const string AttentionMaskName = "attention_mask";

    /// <summary>The optional input that numbers positions (fed as 0, 1, 2, ... over the window).</summary>
    public const string PositionIdsName = "position_ids";

    /// <summary>The output that carries next-token logits.</summary>
    public const string LogitsName = "logits";

    private readonly OnnxModel _model;
    private readonly bool _hasAttentionMask;
    private readonly bool _hasPositionIds;
    private readonly int? _contextLength;
    private readonly int? _bosTokenId;
    private readonly int? _eosTokenId;

    /// <summary>A generator over <paramref name="model"/>, which must have the causal-LM signature.</summary>
    /// <exception cref="InvalidModelException">When the graph lacks <c>input_ids</c> (int64, rank 2) or <c>logits</c> (float, rank 3), has another required input, or its vocabulary size disagrees with the manifest's tokenizer.</exception>
    public TextGenerator(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;

        if (!model.Inputs.TryGetValue(InputIdsName, out var ids) || ids.ElementDataType != TensorElementType.Int64 || ids.Dimensions.Length != 2)
        {
            throw new InvalidModelException($"A text model needs input '{InputIdsName}' int64 [batch, sequence]; this graph has inputs {Describe(model.Inputs)}.");
        }

        foreach (var (name, meta) in model.Inputs)
        {
            var known = name is InputIdsName or AttentionMaskName or PositionIdsName;
            if (!known)
            {
                throw new InvalidModelException($"Input '{name}' is not supported (key/value caches are not): a text model takes {InputIdsName}, {AttentionMaskName} and {PositionIdsName} only.");
            }

            if (meta.ElementDataType != TensorElementType.Int64 || meta.Dimensions.Length != 2)
            {
                throw new InvalidModelException($"Input '{name}' must be int64 [batch, sequence].");
            }
        }

        _hasAttentionMask = model.Inputs.ContainsKey(AttentionMaskName);
        _hasPositionIds = model.Inputs.ContainsKey(PositionIdsName);

        if (!model.Outputs.TryGetValue(LogitsName, out var logits) || logits.ElementDataType != TensorElementType.Float || logits.Dimensions.Length != 3)
        {
            throw new InvalidModelException($"A text model needs output '{LogitsName}' float [batch, sequence, vocabulary]; this graph has outputs {Describe(model.Outputs)}.");
        }

        var text = model.Manifest?.Text;
        Tokenizer = text is null ? null : TextTokenizer.FromDescription(text.Tokenizer);
        var graphVocabulary = logits.Dimensions[2] > 0 ? logits.Dimensions[2] : (int?)null;
        if (graphVocabulary is { } g && Tokenizer is { } tokenizer && tokenizer.VocabularySize != g)
        {
            throw new InvalidModelException($"The graph's logits have {g} entries but the manifest's vocabulary has {tokenizer.VocabularySize}.");
        }

        VocabularySize = graphVocabulary ?? Tokenizer?.VocabularySize;
        _contextLength = text?.ContextLength;
        _bosTokenId = text?.Tokenizer.BosTokenId;
        _eosTokenId = text?.Tokenizer.EosTokenId;
    }

    /// <summary>The model it runs.</summary>
    public OnnxModel Model => _model;

    /// <summary>The manifest's tokenizer; null for a bare graph, which generates from token ids only.</summary>
    public TextTokenizer? Tokenizer { get; }

    /// <summary>The vocabulary size when the graph or manifest fixes it; null until known otherwise.</summary>
    public int? VocabularySize { get; private set; }

    /// <summary>Generates a continuation of <paramref name="prompt"/> with the manifest's tokenizer.</summary>
    /// <param name="prompt">The text to continue; may be empty when the model has a begin token.</param>
    /// <param name="options">Sampling parameters; see <see cref="TextGenerationOptions"/>.</param>
    /// <param name="logitsProcessor">Changes the logits before each draw (e.g. a watermark); null for none.</param>
    /// <exception cref="InvalidOperationException">When the model came without a manifest, so there is no tokenizer.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When an option is out of range.</exception>
    /// <exception cref="ArgumentException">When the prompt is empty and the model has no begin token, or holds text the tokenizer cannot encode.</exception>
    public TextGeneration Generate(string prompt, TextGenerationOptions options, LogitsProcessor? logitsProcessor = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var tokenizer = Tokenizer ?? throw new InvalidOperationException("This model has no manifest tokenizer: generate from token ids instead.");
        var promptTokens = tokenizer.Encode(prompt);
        var tokens = GenerateTokens(promptTokens, options, logitsProcessor);
        return new TextGeneration(prompt, tokenizer.Decode(tokens), promptTokens, tokens);
    }

    /// <summary>Generates token ids after <paramref name="promptTokens"/>.</summary>
    /// <param name="promptTokens">The prompt's token ids; when empty, the model's begin token is fed (the returned tokens never include it).</param>
    /// <param name="options">Sampling parameters; see <see cref="TextGenerationOptions"/>.</param>
    /// <param name="logitsProcessor">Changes the logits before each draw (e.g. a watermark); it sees the prompt and the tokens so far. Null for none.</param>
    /// <returns>The new tokens, ending with the end token if the model emitted it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">When an option is out of range or a prompt token is outside the vocabulary.</exception>
    /// <exception cref="ArgumentException">When the prompt is empty and the model has no begin token.</exception>
    /// <exception cref="InvalidModelException">When the graph's output does not have the shape [1, sequence, vocabulary].</exception>
    public int[] GenerateTokens(ReadOnlySpan<int> promptTokens, TextGenerationOptions options, LogitsProcessor? logitsProcessor = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (promptTokens.IsEmpty && _bosTokenId is null)
        {
            throw new ArgumentException("The prompt is empty and the model has no begin-of-sequence token to start from.", nameof(promptTokens));
        }

        foreach (var token in promptTokens)
        {
            if (token < 0 || (VocabularySize is { } v && token >= v))
            {
                throw new ArgumentOutOfRangeException(nameof(promptTokens), token, $"Prompt token {token} is outside the vocabulary of {VocabularySize}.");
            }
        }

        var sequence = new List<int>(promptTokens.Length + options.MaxNewTokens + 1);
        var start = 0;
        if (promptTokens.IsEmpty)
        {
            sequence.Add(_bosTokenId!.Value);
            start = 1;
        }

        foreach (var token in promptTokens)
        {
            sequence.Add(token);
        }

        var promptLength = sequence.Count;
        var sampler = new TokenSampler(options);
        float[] logits = [];
        using var runOptions = new RunOptions();
        for (var step = 0; step < options.MaxNewTokens; step++)
        {
            logits = NextLogits(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sequence), runOptions, logits);
            logitsProcessor?.Invoke(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(sequence)[start..], logits);
            var next = sampler.Sample(logits);
            sequence.Add(next);
            if (next == _eosTokenId)
            {
                break;
            }
        }

        return [.. sequence.Skip(promptLength)];
    }

    private float[] NextLogits(ReadOnlySpan<int> sequence, RunOptions runOptions, float[] reuse)
    {
        var window = _contextLength is { } c && sequence.Length > c ? sequence[^c..] : sequence;
        var n = window.Length;
        var shape = new long[] { 1, n };
        var ids = new long[n];
        for (var i = 0; i < n; i++)
        {
            ids[i] = window[i];
        }

        var names = new List<string>(3) { InputIdsName };
        var values = new List<OrtValue>(3) { OrtValue.CreateTensorValueFromMemory(ids, shape) };
        try
        {
            if (_hasAttentionMask)
            {
                var mask = new long[n];
                Array.Fill(mask, 1L);
                names.Add(AttentionMaskName);
                values.Add(OrtValue.CreateTensorValueFromMemory(mask, shape));
            }

            if (_hasPositionIds)
            {
                var positions = new long[n];
                for (var i = 0; i < n; i++)
                {
                    positions[i] = i;
                }

                names.Add(PositionIdsName);
                values.Add(OrtValue.CreateTensorValueFromMemory(positions, shape));
            }

            using var outputs = _model.Session.Run(runOptions, names, values, [LogitsName]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            if (outShape.Length != 3 || outShape[0] != 1 || outShape[1] != n || outShape[2] < 1)
            {
                throw new InvalidModelException($"Expected logits [1, {n}, vocabulary]; the model returned [{string.Join(", ", outShape)}].");
            }

            var vocabulary = (int)outShape[2];
            VocabularySize ??= vocabulary;
            var last = output.GetTensorDataAsSpan<float>().Slice((n - 1) * vocabulary, vocabulary);
            var result = reuse.Length == vocabulary ? reuse : new float[vocabulary];
            last.CopyTo(result);
            return result;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private static string Describe(IReadOnlyDictionary<string, NodeMetadata> tensors) =>
        tensors.Count == 0
            ? "(none)"
            : string.Join(", ", tensors.Select(t => $"{t.Key} {t.Value.ElementDataType} [{string.Join(", ", t.Value.Dimensions)}]"));
}

/// <summary>The result of a text generation.</summary>
/// <param name="Prompt">The prompt as given.</param>
/// <param name="Text">The generated continuation (without the prompt and without special tokens).</param>
/// <param name="PromptTokens">The prompt's token ids.</param>
/// <param name="Tokens">The generated token ids.</param>
public sealed record TextGeneration(string Prompt, string Text, IReadOnlyList<int> PromptTokens, IReadOnlyList<int> Tokens);
