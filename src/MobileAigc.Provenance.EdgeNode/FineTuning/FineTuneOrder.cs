using System.Text;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>A fine-tune request the node refuses: nothing queued, nothing charged (or the fee given back).</summary>
/// <param name="type">A <see cref="FineTuneProblemTypes"/> (or <see cref="GenerationProblemTypes.UnknownModel"/>) type.</param>
/// <param name="status">The HTTP status.</param>
/// <param name="message">What is wrong, with the values.</param>
public sealed class FineTuneRefusedException(string type, int status, string message) : Exception(message)
{
    /// <summary>The problem type.</summary>
    public string ProblemType { get; } = type;

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The example picture (0-based) the refusal is about; null when none is to blame.</summary>
    public int? PictureIndex { get; init; }
}

/// <summary>A fine-tune request checked against the node's limits and models, ready to be paid and queued.</summary>
/// <param name="Base">The served base model.</param>
/// <param name="Name">The derivative's name.</param>
/// <param name="Examples">The creator's texts (empty for an image model).</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Owner">A <see cref="DerivativeOwners"/> value.</param>
/// <param name="Visibility">A <see cref="ModelVisibilities"/> value.</param>
/// <param name="Salt">The commitment's salt the creator chose; null for a fresh one.</param>
/// <param name="Pictures">The creator's pictures for an image model (checked by the training library); null for a text model.</param>
public sealed record FineTuneOrder(
    ServedModel Base, string Name, IReadOnlyList<string> Examples, ulong Seed, string Owner, string Visibility, Core.Primitives.Bytes32? Salt = null,
    IReadOnlyList<byte[]>? Pictures = null)
{
    /// <summary>The seed of a request that names none: 1.</summary>
    public const ulong DefaultSeed = 1;

    /// <summary>The longest derivative name: 64 characters.</summary>
    public const int MaxNameLength = 64;

    private static readonly Regex NamePattern = new("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Checks <paramref name="request"/> for a fine-tune of <paramref name="model"/> (a name or 0x hash) at a node with <paramref name="catalog"/>.</summary>
    /// <exception cref="FineTuneRefusedException">When the request is refused (its type and status say why).</exception>
    public static FineTuneOrder Check(string model, FineTuneRequest request, ModelCatalog catalog, FineTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ServedModel served;
        try
        {
            served = catalog.Find(model);
        }
        catch (UnknownModelException e)
        {
            throw new FineTuneRefusedException(GenerationProblemTypes.UnknownModel, 404, e.Message);
        }

        var (examples, pictures) = served.Model.Manifest!.Kind == ModelKind.Image
            ? ([], PictureExamples.Check(served.Name, request, options))
            : (CheckTexts(served.Name, request, options), (IReadOnlyList<byte[]>?)null);

        var name = request.Name ?? "";
        if (!NamePattern.IsMatch(name))
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.InvalidParameter, 400,
                $"The derivative's name '{Shorten(name)}' is not 1 to {MaxNameLength} of a-z, 0-9 and '-', starting with a letter or digit.");
        }

        var owner = request.Owner ?? DerivativeOwners.Creator;
        if (owner is not (DerivativeOwners.Creator or DerivativeOwners.Provider))
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.InvalidParameter, 400,
                $"The owner '{Shorten(owner)}' is neither '{DerivativeOwners.Creator}' nor '{DerivativeOwners.Provider}'.");
        }

        var visibility = request.Visibility ?? ModelVisibilities.Private;
        if (visibility is not (ModelVisibilities.Private or ModelVisibilities.Public))
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.InvalidParameter, 400,
                $"The visibility '{Shorten(visibility)}' is neither '{ModelVisibilities.Private}' nor '{ModelVisibilities.Public}'.");
        }

        return new FineTuneOrder(served, name, examples, request.Seed ?? DefaultSeed, owner, visibility, request.Salt, pictures);
    }

    private static IReadOnlyList<string> CheckTexts(string model, FineTuneRequest request, FineTuningOptions options)
    {
        var examples = request.Examples;
        var hasTexts = examples is { Count: > 0 } && !examples.All(string.IsNullOrWhiteSpace);
        if (request.Pictures is { Count: > 0 })
        {
            throw hasTexts
                ? new FineTuneRefusedException(FineTuneProblemTypes.MixedExamples, 400,
                    $"The request carries both texts and pictures: model '{model}' is a text model, send only 'examples'.")
                : new FineTuneRefusedException(FineTuneProblemTypes.UnsupportedData, 422,
                    $"Model '{model}' is a text model: it learns from example texts ('examples'), not from pictures.");
        }

        if (!hasTexts)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.ExamplesEmpty, 400,
                "The request carries no example text: send 'examples', a list of the texts the model should learn from.");
        }

        if (examples!.Count > options.MaxExamples)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.ExamplesTooLarge, 413,
                $"The request carries {examples.Count} examples; this node takes at most {options.MaxExamples}.");
        }

        var bytes = examples.Sum(e => (long)Encoding.UTF8.GetByteCount(e ?? ""));
        if (bytes > options.MaxExampleBytes)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.ExamplesTooLarge, 413,
                $"The examples hold {bytes} bytes of UTF-8; this node takes at most {options.MaxExampleBytes}.");
        }

        // What the training would refuse anyway is refused before the fee: a missing or too short example.
        for (var i = 0; i < examples.Count; i++)
        {
            if (examples[i] is not { } example || example.Trim().Length < TextFineTuner.MinExampleCharacters)
            {
                throw new FineTuneRefusedException(FineTuneProblemTypes.UnsupportedData, 422,
                    $"Example {i + 1} is {(examples[i] is null ? "missing" : "too short")}: each example needs at least {TextFineTuner.MinExampleCharacters} characters besides white space.");
            }
        }

        return [.. examples];
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
