using System.Diagnostics;
using MobileAigc.Provenance.Generation;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Training.Text;

namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>
/// Fine-tunes a copy of a character MLP text model (such as the shipped <c>kjv-char-mlp</c>) on a creator's texts:
/// Adam from the base weights through the same back-propagation that trained the base model
/// (<see cref="CharMlpTrainer.Optimise"/>), keeping its vocabulary (unknown characters become <c>&lt;unk&gt;</c>).
/// The same examples, settings, identity and base model give the same bytes.
/// </summary>
/// <remarks>Thread-safe: runs share nothing, and a run uses two threads of the thread pool for its shards.</remarks>
public static class TextFineTuner
{
    /// <summary>The fewest characters, white space aside, an example must have: 8.</summary>
    public const int MinExampleCharacters = 8;

    /// <summary>The fewest characters to train on (before the held-out end): 400.</summary>
    public const int MinTrainingCharacters = 400;

    /// <summary>The fewest held-out characters: 100.</summary>
    public const int MinHeldOutCharacters = 100;

    /// <summary>The most characters all examples may hold together (callers bound it lower): 4,000,000.</summary>
    public const int MaxTotalCharacters = 4_000_000;

    /// <summary>The smallest share of the examples' characters the base model must know: 0.5.</summary>
    public const double MinKnownShare = 0.5;

    private const int RecentSteps = 20;

    /// <summary>Fine-tunes the model in <paramref name="baseModelDirectory"/> on <paramref name="examples"/>.</summary>
    /// <param name="baseModelDirectory">A model folder (manifest.json and the ONNX file it names) holding a character MLP text model.</param>
    /// <param name="examples">The creator's texts, in order; each at least <see cref="MinExampleCharacters"/> characters, together at most <see cref="MaxTotalCharacters"/>.</param>
    /// <param name="settings">How to train (<see cref="FineTuneSettings"/> documents the defaults).</param>
    /// <param name="identity">Who the derivative is; written into its manifest and its file's metadata.</param>
    /// <param name="progress">Told before the first step and after every step; may be null.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <exception cref="FineTuneInputException">For unusable examples (none, too short, mostly unknown characters, too little to hold any out), settings out of range, or an incomplete identity or one whose parent is not the base model.</exception>
    /// <exception cref="DirectoryNotFoundException">When the base model's folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">When its manifest or ONNX file is missing.</exception>
    /// <exception cref="InvalidModelException">When the base model is not a character MLP text model (see <see cref="CharMlpModelDirectory.Load"/>).</exception>
    /// <exception cref="OperationCanceledException">When cancelled.</exception>
    public static FineTuneOutcome Run(
        string baseModelDirectory,
        IReadOnlyList<string> examples,
        FineTuneSettings settings,
        DerivativeIdentity identity,
        IProgress<FineTuneProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseModelDirectory);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        settings.Validate();
        if (settings.BatchSize % 2 != 0)
        {
            // A batch is split into two shards whose gradients are summed in order (the trainer's determinism).
            throw new FineTuneInputException($"The batch size must be an even number for the text model, not {settings.BatchSize}.");
        }
        var parent = CharMlpModelDirectory.Load(baseModelDirectory);
        DerivativeDescription.Validate(identity, parent.Sha256);
        var corpus = FineTuneCorpus.Build(examples, parent.Vocabulary, settings.HeldOutShare);
        cancellationToken.ThrowIfCancellationRequested();

        var model = parent.File.Model.Copy();
        var tokens = corpus.Tokens;
        var before = CharMlpTrainer.Evaluate(model, tokens, corpus.HeldOutStart, tokens.Length, cancellationToken);
        progress?.Report(new FineTuneProgress(0, settings.Steps, null));

        var recent = new Queue<double>(RecentSteps);
        var options = new CharMlpTrainingOptions
        {
            BatchSize = settings.BatchSize,
            Steps = settings.Steps,
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
        };
        CharMlpTrainer.Optimise(model, tokens, corpus.HeldOutStart, options, new SeededRandom(settings.Seed), step =>
        {
            if (recent.Count == RecentSteps)
            {
                recent.Dequeue();
            }

            recent.Enqueue(step.Loss);
            progress?.Report(new FineTuneProgress(step.Step, step.Steps, recent.Average()));
        }, cancellationToken);

        cancellationToken.ThrowIfCancellationRequested();
        var after = CharMlpTrainer.Evaluate(model, tokens, corpus.HeldOutStart, tokens.Length, cancellationToken);
        var entries = DerivativeDescription.Entries(identity, settings);
        var docString = DerivativeDescription.DocString(identity, parent.Manifest);
        var onnx = CharMlpOnnx.Export(model, docString, DerivativeDescription.Producer, DerivativeDescription.Metadata(entries));
        var manifest = DerivativeDescription.Manifest(parent.Manifest, docString, onnx, model, entries);
        clock.Stop();
        return new FineTuneOutcome(onnx, manifest, before, after, settings.Steps, clock.Elapsed);
    }
}
