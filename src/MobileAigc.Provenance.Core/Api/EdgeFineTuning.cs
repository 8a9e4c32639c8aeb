using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>Who owns a derivative (<see cref="FineTuneRequest.Owner"/>).</summary>
public static class DerivativeOwners
{
    /// <summary><c>creator</c>: the payer (the paying channel's creator), or with payments off the request's signed creator. The default.</summary>
    public const string Creator = "creator";

    /// <summary><c>provider</c>: the node's provider (the operator channels pay).</summary>
    public const string Provider = "provider";
}

/// <summary>Who a derivative is served to (<see cref="FineTuneRequest.Visibility"/>).</summary>
public static class ModelVisibilities
{
    /// <summary><c>private</c>: only its owner's requests (see <see cref="FineTuneProblemTypes.PrivateModel"/>). The default.</summary>
    public const string Private = "private";

    /// <summary><c>public</c>: anyone's.</summary>
    public const string Public = "public";
}

/// <summary>The states of a fine-tune job (<see cref="FineTuneJob.State"/>).</summary>
public static class FineTuneStates
{
    /// <summary><c>queued</c>: accepted and paid, waiting for a training slot (also after a node restart cut a run short).</summary>
    public const string Queued = "queued";

    /// <summary><c>running</c>: training.</summary>
    public const string Running = "running";

    /// <summary><c>succeeded</c>: the derivative is written and served; the fee is kept.</summary>
    public const string Succeeded = "succeeded";

    /// <summary><c>failed</c>: training failed or ran past the node's time limit; the fee is given back.</summary>
    public const string Failed = "failed";

    /// <summary><c>cancelled</c>: cancelled by the creator; the fee is given back.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>True for a state a job never leaves.</summary>
    public static bool IsFinal(string state) => state is Succeeded or Failed or Cancelled;
}

/// <summary>How a failed or cancelled job's fee went back to the creator (<see cref="FineTuneJob.Refund"/>).</summary>
public static class FineTuneRefunds
{
    /// <summary><c>pending</c>: the job has just failed or been cancelled and its fee is being given back (or, after a crash, will be at the node's next start).</summary>
    public const string Pending = "pending";

    /// <summary><c>released</c>: the fee's voucher was still the channel's latest and was taken back (the creator signs the next one from the amount before it).</summary>
    public const string Released = "released";

    /// <summary>
    /// <c>credited</c>: the creator used the channel since, so the fee stays in the cumulative amount and is kept as a credit
    /// on the channel instead: the node takes that much less on the next vouchers.
    /// </summary>
    public const string Credited = "credited";
}

/// <summary>Body of <c>POST v1/models/{id}/fine-tune</c>.</summary>
/// <param name="Examples">
/// For a text model: the creator's texts to learn from (null or empty for an image model, which takes <paramref name="Pictures"/>). They are kept owner-only in the node's data folder only while the job needs them,
/// never sent anywhere, and deleted when it ends; the job and the derivative keep only their salted commitment
/// (<see cref="Records.Commitments.TrainingData"/>).
/// </param>
/// <param name="Name">The derivative's name: 1 to 64 of <c>a-z</c>, <c>0-9</c> and <c>-</c>, starting with a letter or digit; unique at the node.</param>
/// <param name="Seed">The training seed; null for 1. The same examples, seed and base model give the same derivative bytes.</param>
/// <param name="Owner"><see cref="DerivativeOwners.Creator"/> (the default when null) or <see cref="DerivativeOwners.Provider"/>.</param>
/// <param name="Visibility"><see cref="ModelVisibilities.Private"/> (the default when null) or <see cref="ModelVisibilities.Public"/>.</param>
/// <param name="Payment">
/// The next voucher on the creator's channel for the BASE model, as a generation sends it: its amount adds the node's
/// fine-tune price (<see cref="FineTuneJob.Payment"/> says what was charged). Required when the base model has a price.
/// </param>
/// <param name="Creator">
/// With payments off, the owner when <paramref name="Owner"/> is <c>creator</c>: an identity signed as a generation request's
/// (<see cref="CreatorIdentity.Signature"/>) over the base model with <paramref name="Name"/> as its prompt. Ignored when a voucher pays.
/// </param>
/// <param name="Salt">
/// The salt of the training data's commitment, when the creator chooses it (32 random bytes; the same examples, salt, seed, name,
/// owner and base model at the same node give the same derivative bytes); null for a fresh random salt the job answers.
/// </param>
/// <param name="Pictures">
/// For an image model, instead of <paramref name="Examples"/>: the creator's example pictures, each a whole PNG, JPEG or WebP file
/// (base64 in JSON), whose palette and tone the derivative learns. Kept and deleted like the texts; the job and the derivative
/// keep only their salted commitment (<see cref="Records.Commitments.TrainingPictures"/>). A text model takes
/// <paramref name="Examples"/> only, an image model <paramref name="Pictures"/> only.
/// </param>
public sealed record FineTuneRequest(
    IReadOnlyList<string>? Examples, string? Name, ulong? Seed = null, string? Owner = null, string? Visibility = null,
    VoucherPayment? Payment = null, CreatorIdentity? Creator = null, Bytes32? Salt = null, IReadOnlyList<byte[]>? Pictures = null);

/// <summary>The answer to an accepted fine-tune request (202, <c>Location</c> = <see cref="EdgeRoutes.FineTuneJob"/>).</summary>
/// <param name="JobId">
/// 128 random bits as 32 hex digits: the creator's capability to read and cancel the job. The node answers an unknown id and
/// another creator's alike (404), so an id reveals nothing unless it was given.
/// </param>
/// <param name="Job">The job as queued.</param>
public sealed record FineTuneAccepted(string JobId, FineTuneJob Job);

/// <summary>Where a fine-tune job stands (<c>GET v1/fine-tunes/{jobId}</c>).</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="State">A <see cref="FineTuneStates"/> value.</param>
/// <param name="Step">Training steps done (0 until it runs).</param>
/// <param name="Steps">Training steps in all (0 until it runs).</param>
/// <param name="HeldOutLossBefore">
/// The base model's loss on the held-out examples (a text model: nats per character; an image model: the sliced Wasserstein-2
/// distance between its colours and the held-out pictures'); null until it succeeds.
/// </param>
/// <param name="HeldOutLossAfter">The derivative's loss on them; null until it succeeds.</param>
/// <param name="DerivativeHash">SHA-256 of the derivative's ONNX file: its id for <c>registerDerivedModel</c>; null until it succeeds.</param>
/// <param name="Name">The derivative's name.</param>
/// <param name="Parent">The base model's hash: the derivative's parent.</param>
/// <param name="ParentName">The base model's name.</param>
/// <param name="Owner">Who owns the derivative (the payer, or the provider when asked); null with payments off and no creator.</param>
/// <param name="Visibility">A <see cref="ModelVisibilities"/> value.</param>
/// <param name="TrainingDataCommitment">The salted commitment to the examples (texts or pictures) written into the derivative's metadata.</param>
/// <param name="TrainingDataSalt">The commitment's salt: with the examples, it opens the commitment (only the job's holder learns it).</param>
/// <param name="Payment">The fee's voucher the node accepted; null when free.</param>
/// <param name="Refund">For a failed or cancelled paid job: a <see cref="FineTuneRefunds"/> value (<c>pending</c> for the moment it is given back); null otherwise.</param>
/// <param name="Error">Why a job failed; null otherwise.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
/// <param name="FinishedAt">When it ended; null while queued or running.</param>
public sealed record FineTuneJob(
    string JobId, string State, int Step, int Steps, double? HeldOutLossBefore, double? HeldOutLossAfter, Bytes32? DerivativeHash,
    string Name, Bytes32 Parent, string ParentName, EvmAddress? Owner, string Visibility, Bytes32 TrainingDataCommitment, Bytes32 TrainingDataSalt,
    AcceptedPayment? Payment, string? Refund, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt);
