using System.Diagnostics;
using Google.Protobuf;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.FineTuning;
using Onnx;

namespace MobileAigc.Provenance.Training.Image;

/// <summary>
/// Fine-tunes a copy of the CPPN image model on a creator's pictures: the pattern layers (shapes and
/// texture) stay as they are and the colour head is fitted by gradient descent so that the model's pictures,
/// over many latents, take the examples' palette and tone. Part of the pictures is held out; the loss on
/// them (sliced Wasserstein-2 between the colours of pictures of held-out latents and the held-out pictures'
/// colours) is reported before and after.
/// </summary>
/// <remarks>
/// Deterministic: the same pictures (in the same order), settings and base model bytes give the same
/// ONNX bytes on the project's kind of machine. Memory is bounded by the fixed numbers of latents and
/// sampled pixels (about 60 MB of features) plus one decoded picture at a time.
/// </remarks>
public static class ImageFineTuner
{
    /// <summary>Latents whose pictures the head is fitted on: 48.</summary>
    public const int TrainingLatents = 48;

    /// <summary>Latents (different from the training ones) whose pictures measure the held-out loss: 16.</summary>
    public const int HeldOutLatents = 16;

    /// <summary>Pixels sampled from each latent's picture: 2,048.</summary>
    public const int PointsPerLatent = 2048;

    private const ulong LatentStream = 0x1A7E_17C0_10E5UL;
    private const ulong SplitStream = 0x5B11_7000UL;

    /// <summary>The default <see cref="FineTuneSettings.Steps"/> for the image model: 150.</summary>
    public const int DefaultSteps = 150;

    /// <summary>The most steps allowed for the image model: 10,000.</summary>
    public const int MaxSteps = 10_000;

    /// <summary>The largest batch allowed for the image model: 64 latents.</summary>
    public const int MaxBatchSize = 64;

    /// <summary>
    /// The default settings for the image model: <see cref="DefaultSteps"/> steps (the held-out loss falls by far more than
    /// 20 % well inside 30 s on 2 busy cores: docs/benchmarks/fine-tuning-image.md), 8 latents a step, learning rate
    /// 0.05 (decayed linearly to a tenth), a quarter of the pictures held out (at least one held out and one kept).
    /// </summary>
    public static FineTuneSettings DefaultSettings { get; } = new() { Steps = DefaultSteps, BatchSize = 8, LearningRate = 0.05, HeldOutShare = 0.25 };

    /// <summary>Runs the fine-tuning and returns the derivative's bytes and manifest.</summary>
    /// <param name="baseModelDirectory">The base model's folder (<c>manifest.json</c> and its ONNX file): the shipped <c>cppn-image</c> or a derivative of it.</param>
    /// <param name="examplePictures">The creator's pictures, PNG or JPEG, 2 to 64, each at least 16 × 16 and at most 4,096 × 4,096 pixels.</param>
    /// <param name="settings">The run's settings (<see cref="FineTuneSettings"/> documents each default).</param>
    /// <param name="identity">The derivative's identity; its <see cref="DerivativeIdentity.ParentSha256"/> must be the base model file's SHA-256.</param>
    /// <param name="progress">Told after every step; may be null.</param>
    /// <param name="cancellationToken">Checked between pictures, latents and steps.</param>
    /// <exception cref="DirectoryNotFoundException">When the base model's folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">When its manifest or ONNX file is missing.</exception>
    /// <exception cref="InvalidModelException">When the base model is not an image model, its file is not the one its manifest pins, or its graph has no colour head this tuner can train.</exception>
    /// <exception cref="FineTuneInputException">When a setting is out of range, the identity is incomplete, malformed or names another parent, or the pictures are too few or too many, nearly flat as a whole, or one is unusable (the message names it).</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static FineTuneOutcome Run(
        string baseModelDirectory, IReadOnlyList<byte[]> examplePictures, FineTuneSettings settings,
        DerivativeIdentity identity, IProgress<FineTuneProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseModelDirectory);
        ArgumentNullException.ThrowIfNull(examplePictures);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(identity);
        settings.Validate();
        if (settings.Steps > MaxSteps)
        {
            throw new FineTuneInputException($"Steps must be from 1 to {MaxSteps} for the image model, not {settings.Steps}.");
        }

        if (settings.BatchSize > MaxBatchSize)
        {
            throw new FineTuneInputException($"The batch size must be from 1 to {MaxBatchSize} latents for the image model, not {settings.BatchSize}.");
        }
        var started = Stopwatch.GetTimestamp();

        var (manifest, model, sha256) = LoadBase(baseModelDirectory);
        DerivativeDescription.Validate(identity, sha256);

        var colours = ExamplePictures.SampleColours(examplePictures, settings.Seed, cancellationToken);
        var heldOut = HeldOutPictures(colours.Length, settings);
        var trainLoss = new SlicedColourLoss([.. colours.Where((_, i) => !heldOut.Contains(i)).SelectMany(c => c)]);
        var heldOutLoss = new SlicedColourLoss([.. colours.Where((_, i) => heldOut.Contains(i)).SelectMany(c => c)]);

        var head = CppnColourHead.Read(model);
        var image = manifest.Image!;
        if (image.LatentSize != head.LatentWidth)
        {
            throw new InvalidModelException($"The manifest's latent has {image.LatentSize} entries; the colour head reads {head.LatentWidth}.");
        }

        var random = new SeededRandom(settings.Seed ^ LatentStream);
        using (var probe = new CppnFeatureProbe(model, head, image.Coordinates))
        {
            var (width, height) = (image.DefaultWidth, image.DefaultHeight);
            var training = LatentFeatureSet.Collect(probe, head, Latents(random, TrainingLatents, head.LatentWidth, image.PromptStrength), PointsPerLatent, width, height, random, cancellationToken);
            var heldOutSet = LatentFeatureSet.Collect(probe, head, Latents(random, HeldOutLatents, head.LatentWidth, image.PromptStrength), PointsPerLatent, width, height, random, cancellationToken);
            var before = ColourHeadTrainer.Evaluate(heldOutSet, heldOutLoss, head.Parameters);
            var parameters = ColourHeadTrainer.Train(training, trainLoss, head.Parameters, settings, progress, cancellationToken);
            var after = ColourHeadTrainer.Evaluate(heldOutSet, heldOutLoss, parameters);
            var (onnx, derived) = DerivativeImageModel.Write(model, manifest, head, parameters, identity, settings, before, after);
            return new FineTuneOutcome(onnx, derived, before, after, settings.Steps, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// Checks <paramref name="examplePictures"/> as <see cref="Run"/> does before it trains (count, decoding, size, flatness),
    /// without loading a model or training: lets a caller refuse unusable pictures before it accepts a job.
    /// </summary>
    /// <exception cref="FineTuneInputException">When the pictures are too few or too many, nearly flat as a whole, or one is unusable (its <see cref="FineTuneInputException.ExampleIndex"/> names it).</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled.</exception>
    public static void CheckPictures(IReadOnlyList<byte[]> examplePictures, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(examplePictures);
        _ = ExamplePictures.SampleColours(examplePictures, DefaultSettings.Seed, cancellationToken);
    }

    /// <summary>The indices of the held-out pictures: a seeded choice of the share asked, at least one, leaving at least one.</summary>
    private static HashSet<int> HeldOutPictures(int count, FineTuneSettings settings)
    {
        var heldOut = Math.Clamp((int)Math.Round(count * settings.HeldOutShare, MidpointRounding.AwayFromZero), 1, count - 1);
        var order = Enumerable.Range(0, count).ToArray();
        var random = new SeededRandom(settings.Seed ^ SplitStream);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return [.. order.Take(heldOut)];
    }

    /// <summary>
    /// Latents as the generator makes them: standard normal, and every other one moved by a random
    /// prompt-like direction of <paramref name="promptStrength"/>, so both kinds of picture are learned.
    /// </summary>
    private static float[][] Latents(SeededRandom random, int count, int size, double promptStrength)
    {
        var latents = new float[count][];
        for (var l = 0; l < count; l++)
        {
            var prompt = l % 2 == 1 ? promptStrength : 0;
            latents[l] = new float[size];
            for (var i = 0; i < size; i++)
            {
                latents[l][i] = (float)(random.NextGaussian() + (prompt * random.NextGaussian()));
            }
        }

        return latents;
    }

    private static (ModelManifest Manifest, ModelProto Model, string Sha256) LoadBase(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"No model folder at {directory}.");
        }

        var manifest = ModelManifest.Load(Path.Combine(directory, ModelManifest.FileName));
        if (manifest.Kind != ModelKind.Image || manifest.Image is null)
        {
            throw new InvalidModelException($"Model '{manifest.Name}' is a {manifest.Kind.ToString().ToLowerInvariant()} model; the image fine-tuner needs an image model.");
        }

        var path = Path.Combine(directory, manifest.File);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No ONNX model at {path}.", path);
        }

        var bytes = File.ReadAllBytes(path);
        var sha256 = Bytes32.Sha256(bytes).ToString();
        if (manifest.Sha256 is { } pinned && !string.Equals(pinned, sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidModelException($"{path} has SHA-256 {sha256}, but its manifest pins {pinned}.");
        }

        try
        {
            return (manifest, ModelProto.Parser.ParseFrom(bytes), sha256);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidModelException($"{path} is not an ONNX model: {e.Message}", e);
        }
    }
}
