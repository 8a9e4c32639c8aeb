using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.ModelDescriptions.Tokenization;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>A text model whose tokenizer the ledger knows (<see cref="VerificationOptions.TextModelManifests"/>).</summary>
/// <param name="Name">The manifest's name.</param>
/// <param name="ModelHash">The model's identity (its pinned SHA-256); null when the manifest pins none.</param>
/// <param name="Tokenizer">Its tokenizer.</param>
public sealed record TextModelTokenizer(string Name, Bytes32? ModelHash, TextTokenizer Tokenizer);

/// <summary>A text watermark found by <see cref="TextWatermarkDetector.Detect"/>.</summary>
/// <param name="WatermarkId">The id records made with that key carry (<see cref="WatermarkIds.ForTextKey"/>).</param>
/// <param name="Model">The model whose tokenizer showed the watermark.</param>
/// <param name="Evidence">The detector's statistics.</param>
public sealed record TextWatermarkHit(Bytes32 WatermarkId, TextModelTokenizer Model, TextWatermarkEvidence Evidence);

/// <summary>
/// Looks for an edge node's green-list watermark in text: every configured watermark key with every
/// known text model's tokenizer, with the edge node's detector settings (<see cref="TextWatermarkOptions"/> defaults).
/// </summary>
/// <remarks>
/// Trying K keys with T tokenizers is K·T tests, so a single one reaching the false-positive rate α
/// (<see cref="TextWatermarkOptions.FalsePositiveRate"/>, 1e-5) would make false alarms K·T times
/// likelier. The detector therefore corrects for it (Bonferroni): the best pair's exact p-value times
/// K·T must stay at or below α, which keeps the family's false-alarm rate per text at most α. A pair
/// with fewer scored tokens than <see cref="TextWatermarkOptions.MinimumScoredTokens"/> (50) decides
/// nothing (<see cref="TextWatermarkVerdict.TooShortToTell"/>). Thread-safe.
/// <para>
/// Cost: a text is tokenized and its scored pairs listed once per model (<see cref="ScoredPairs"/>); each key then
/// only counts its green tokens, one keyed hash and one permutation evaluation per pair (about 50 ns), and only the
/// best count is judged: under 10 ms for a thousand keys and a 200-token text.
/// </para>
/// </remarks>
public sealed class TextWatermarkDetector
{
    private readonly IReadOnlyList<(TextWatermark Watermark, Bytes32 WatermarkId)> _keys;
    private readonly double _logFalsePositiveRate;
    private readonly int _contextWidth;

    /// <summary>A detector over <paramref name="keys"/> and <paramref name="models"/>.</summary>
    public TextWatermarkDetector(IReadOnlyList<WatermarkKey> keys, IReadOnlyList<TextModelTokenizer> models)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(models);
        _keys = [.. keys.Select(k => (new TextWatermark(k), WatermarkIds.ForTextKey(k)))];
        Models = models;
        var options = new TextWatermarkOptions();
        _logFalsePositiveRate = Math.Log(options.FalsePositiveRate);
        _contextWidth = options.ContextWidth;
    }

    /// <summary>The text models the detector can tokenize for.</summary>
    public IReadOnlyList<TextModelTokenizer> Models { get; }

    /// <summary>Loads the tokenizers of the manifests in <paramref name="manifestPaths"/>.</summary>
    /// <exception cref="InvalidOperationException">When a manifest is missing, invalid or not a text model's; the message names the file.</exception>
    public static IReadOnlyList<TextModelTokenizer> LoadModels(IEnumerable<string> manifestPaths)
    {
        ArgumentNullException.ThrowIfNull(manifestPaths);
        return [.. manifestPaths.Select(LoadModel)];
    }

    /// <summary>
    /// The strongest watermark in <paramref name="text"/> that passes the corrected threshold, or
    /// null. Text a tokenizer cannot encode (characters outside a vocabulary without an unknown token)
    /// is skipped for that tokenizer.
    /// </summary>
    public TextWatermarkHit? Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tests = _keys.Count * Models.Count;
        var logTests = Math.Log(Math.Max(1, tests));
        TextWatermarkHit? best = null;
        var bestLogAdjusted = 0.0;
        foreach (var model in Models)
        {
            int[] tokens;
            try
            {
                tokens = model.Tokenizer.Encode(text);
            }
            catch (ArgumentException)
            {
                continue;
            }

            // Every key shares the scored pairs, hence their count: the p-value falls as the green count grows, so the
            // key with the most green tokens (the first of equals, as before) is the only one worth judging.
            var pairs = ScoredPairs.From(tokens, model.Tokenizer.VocabularySize, _contextWidth);
            var (bestKey, bestGreen) = (-1, -1);
            for (var k = 0; k < _keys.Count; k++)
            {
                var green = _keys[k].Watermark.CountGreen(pairs);
                if (green > bestGreen)
                {
                    (bestKey, bestGreen) = (k, green);
                }
            }

            if (bestKey < 0)
            {
                continue;
            }

            var (watermark, watermarkId) = _keys[bestKey];
            var detection = watermark.Judge(pairs.Count, bestGreen, model.Tokenizer.VocabularySize);
            var logAdjusted = Math.Min(0, detection.LogPValue + logTests);
            if (detection.Verdict != TextWatermarkVerdict.TooShortToTell && logAdjusted <= _logFalsePositiveRate && (best is null || logAdjusted < bestLogAdjusted))
            {
                bestLogAdjusted = logAdjusted;
                best = new TextWatermarkHit(
                    watermarkId,
                    model,
                    new TextWatermarkEvidence(detection.ScoredTokens, detection.GreenTokens, detection.ZScore, detection.PValue, Math.Exp(logAdjusted)));
            }
        }

        return best;
    }

    private static TextModelTokenizer LoadModel(string path)
    {
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidModelException)
        {
            throw new InvalidOperationException($"Text model manifest '{path}' cannot be used: {e.Message}", e);
        }

        if (manifest.Text is not { } textSection)
        {
            throw new InvalidOperationException($"Text model manifest '{path}' describes a {manifest.Kind} model, not a text model.");
        }

        try
        {
            var hash = manifest.Sha256 is { } pinned ? Bytes32.Parse(pinned) : (Bytes32?)null;
            return new TextModelTokenizer(manifest.Name, hash, TextTokenizer.FromDescription(textSection.Tokenizer));
        }
        catch (Exception e) when (e is InvalidModelException or FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"Text model manifest '{path}' cannot be used: {e.Message}", e);
        }
    }
}
