using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>How an edge node runs fine-tune jobs (section <c>EdgeNode:FineTuning</c>), validated at start.</summary>
public sealed class FineTuningOptions
{
    /// <summary>The configuration section: <c>EdgeNode:FineTuning</c>.</summary>
    public const string Section = "EdgeNode:FineTuning";

    /// <summary>Jobs that train at once (each holds the processors for its duration). Default: 1.</summary>
    [Range(1, 16)]
    public int Concurrency { get; set; } = 1;

    /// <summary>Jobs that may wait for a training slot (queued, not running); beyond them a request is answered 503 and not charged. Default: 8.</summary>
    [Range(0, 1_000)]
    public int MaxQueued { get; set; } = 8;

    /// <summary>The most UTF-8 bytes of examples one request may carry, all texts together. Default: 256 KiB.</summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxExampleBytes { get; set; } = 256 * 1024;

    /// <summary>The most examples (texts) one request may carry. Default: 10,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxExamples { get; set; } = 10_000;

    /// <summary>
    /// The most pictures one request for an image model may carry (the training library takes 2 to 64). Default: 16.
    /// </summary>
    [Range(2, 64)]
    public int MaxPictures { get; set; } = 16;

    /// <summary>
    /// The most bytes of picture files one request may carry, all pictures together (the request's body limit is sized for
    /// them in base64). Each picture's pixel count is bounded by the training library (4,096 × 4,096). Default: 8 MiB.
    /// </summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxPictureBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long one job may train; a job still training then fails and its fee is given back. Default: 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// What a fine-tune costs, in generations of the base model: the fee is this many times the paying channel's price per
    /// generation, taken with one voucher. Default: 50.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PriceInGenerations { get; set; } = 50;

    /// <summary>
    /// The training steps of every job; part of what the derivative's bytes depend on. Default: <c>null</c>, meaning the
    /// training library's default. At most <see cref="Training.FineTuning.FineTuneSettings.MaxSteps"/> (100,000), what the
    /// library trains at all (the image fine-tuner stops at 10,000: a longer image job fails and gives its fee back).
    /// </summary>
    [Range(1, Training.FineTuning.FineTuneSettings.MaxSteps)]
    public int? Steps { get; set; }

    /// <summary>The <c>Retry-After</c> answered while the queue is full, in whole seconds. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan QueueFullRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The folder the derivatives are written to (one sub-folder each, with its manifest and ONNX file) and loaded from at
    /// start. Default: <c>null</c>, meaning <c>models</c> in <see cref="EdgeNodeOptions.DataDirectory"/>.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>The derivatives folder in effect for a node with <paramref name="node"/>'s options.</summary>
    public string EffectiveDirectory(EdgeNodeOptions node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Directory ?? Path.Combine(node.DataDirectory, "models");
    }
}
