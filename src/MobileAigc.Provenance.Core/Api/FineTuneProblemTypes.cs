namespace MobileAigc.Provenance.Core.Api;

/// <summary>
/// The stable problem types (<c>type</c> of the ProblemDetails) with which an edge node refuses a
/// fine-tune request, a read or cancel of a fine-tune job, or a generation with a private derivative.
/// A refused fine-tune request queues nothing and charges nothing; a paid request's refusals are
/// <see cref="PaymentProblemTypes"/>, an unknown base model <see cref="GenerationProblemTypes.UnknownModel"/>.
/// </summary>
public static class FineTuneProblemTypes
{
    /// <summary>400: the request carries no examples (texts for a text model, pictures for an image model), or only empty ones.</summary>
    public const string ExamplesEmpty = ProblemTypePrefix.Value + "fine-tune-examples-empty";

    /// <summary>
    /// 413: the examples are more than the node takes (<c>EdgeNode:FineTuning:MaxExampleBytes</c> of UTF-8 in total, or
    /// <c>MaxExamples</c> texts); the detail names the limit.
    /// </summary>
    public const string ExamplesTooLarge = ProblemTypePrefix.Value + "fine-tune-examples-too-large";

    /// <summary>
    /// 422: the base model cannot learn from what was sent: an image model given texts, a text model given pictures, or
    /// examples the training refuses (no character the model knows, too little text to hold any out).
    /// </summary>
    public const string UnsupportedData = ProblemTypePrefix.Value + "fine-tune-unsupported-data";

    /// <summary>400: the request carries both texts and pictures; a model learns from one kind (its own).</summary>
    public const string MixedExamples = ProblemTypePrefix.Value + "fine-tune-mixed-examples";

    /// <summary>
    /// 400: an example picture cannot be learned from (empty, not PNG, JPEG or WebP, truncated, too small or too large), or the
    /// pictures are too few or nearly flat as a whole; the detail says why and the <c>pictureIndex</c> extension names the
    /// picture (0-based) when one is to blame. Nothing was charged or stored.
    /// </summary>
    public const string BadPicture = ProblemTypePrefix.Value + "fine-tune-bad-picture";

    /// <summary>400: the derivative's name, owner, visibility or seed is not one the node takes (the detail says which).</summary>
    public const string InvalidParameter = ProblemTypePrefix.Value + "fine-tune-invalid-parameter";

    /// <summary>409: a served model or another job of this node already has the derivative's name.</summary>
    public const string NameTaken = ProblemTypePrefix.Value + "fine-tune-name-taken";

    /// <summary>
    /// 503: the node's fine-tune queue is full (<c>EdgeNode:FineTuning:MaxQueued</c>); retry after the <c>Retry-After</c>
    /// seconds. Nothing was charged.
    /// </summary>
    public const string QueueFull = ProblemTypePrefix.Value + "fine-tune-queue-full";

    /// <summary>404: no fine-tune job has this id at this node (ids are unguessable: only the creator who started a job knows it).</summary>
    public const string UnknownJob = ProblemTypePrefix.Value + "fine-tune-unknown-job";

    /// <summary>409: the job has finished (succeeded, failed or cancelled already): there is nothing to cancel.</summary>
    public const string JobFinished = ProblemTypePrefix.Value + "fine-tune-job-finished";

    /// <summary>
    /// 403: the model is a private derivative and the request is not its owner's: with payments on, the paying channel's
    /// creator is not the model's owner in <c>ModelRegistry</c>; with payments off, the request is not signed by its owner.
    /// Nothing was generated or charged.
    /// </summary>
    public const string PrivateModel = ProblemTypePrefix.Value + "private-model";
}
