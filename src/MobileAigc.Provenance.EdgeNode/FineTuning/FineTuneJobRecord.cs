using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>One fine-tune job as the node keeps it: what the API shows and what the worker needs to run it again.</summary>
/// <param name="Id">The job id (32 hex digits).</param>
/// <param name="State">A <see cref="FineTuneStates"/> value.</param>
/// <param name="Parent">The base model's hash.</param>
/// <param name="ParentName">The base model's name.</param>
/// <param name="Name">The derivative's name.</param>
/// <param name="Seed">The training seed.</param>
/// <param name="Owner">The derivative's owner; null when none.</param>
/// <param name="Visibility">A <see cref="ModelVisibilities"/> value.</param>
/// <param name="Commitment">The salted commitment to the examples.</param>
/// <param name="Salt">Its salt.</param>
/// <param name="ExamplesPath">The owner-only file of the examples; null once deleted.</param>
/// <param name="Payment">The fee's accepted voucher; null when free.</param>
/// <param name="Refund">How the fee went back (<see cref="FineTuneRefunds"/>), <see cref="RefundPending"/> until it has; null when kept or free.</param>
/// <param name="Step">Steps done when it ended (the worker reports live steps apart).</param>
/// <param name="Steps">Steps in all when it ended.</param>
/// <param name="LossBefore">The base model's held-out loss; null until it succeeds.</param>
/// <param name="LossAfter">The derivative's held-out loss; null until it succeeds.</param>
/// <param name="DerivativeHash">The derivative's hash; null until it succeeds.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="FinishedAt">When it ended; null while queued or running.</param>
public sealed record FineTuneJobRecord(
    string Id, string State, Bytes32 Parent, string ParentName, string Name, ulong Seed, EvmAddress? Owner, string Visibility,
    Bytes32 Commitment, Bytes32 Salt, string? ExamplesPath, AcceptedPayment? Payment, string? Refund,
    int Step, int Steps, double? LossBefore, double? LossAfter, Bytes32? DerivativeHash, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    /// <summary>The <see cref="Refund"/> of a failed or cancelled paid job whose fee is not given back yet.</summary>
    public const string RefundPending = FineTuneRefunds.Pending;

    /// <summary>The job as <c>GET v1/fine-tunes/{jobId}</c> shows it, with <paramref name="live"/> steps while it runs.</summary>
    public FineTuneJob ToApi((int Step, int Steps)? live = null) => new(
        Id, State, live?.Step ?? Step, live?.Steps ?? Steps, LossBefore, LossAfter, DerivativeHash, Name, Parent, ParentName, Owner, Visibility,
        Commitment, Salt, Payment, Refund, Error, CreatedAt, FinishedAt);
}
