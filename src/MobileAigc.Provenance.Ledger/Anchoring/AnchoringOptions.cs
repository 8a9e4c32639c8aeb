using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// How the anchoring worker batches records and shares the work among replicas. Section
/// <c>Ledger:Anchoring</c>. Confirmations and the poll interval come from <c>Ledger:Chain</c>.
/// </summary>
public sealed class AnchoringOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Anchoring";

    /// <summary>
    /// Whether this replica takes part in anchoring. Default: <c>true</c>. A replica without an
    /// anchorer key (<c>Ledger:Chain:AnchorerKeystorePath</c>) never anchors, whatever this says.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// A batch closes as soon as this many records wait. Default: 1,024. At most 65,536, the
    /// contract's <c>MAX_BATCH_SIZE</c>.
    /// </summary>
    [Range(1, 65_536)]
    public int BatchSize { get; set; } = 1_024;

    /// <summary>
    /// A batch also closes when its oldest record has waited this long, however few records
    /// wait. Default: 10 seconds. Between 100 ms and 1 day.
    /// </summary>
    public TimeSpan MaxBatchAge { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the anchoring lease lasts unless renewed: after a holder dies, another replica
    /// takes over within this time. The holder renews it at a third of it. Default: 15 seconds.
    /// Between 1 second and 1 hour; it must exceed the clock skew between replicas by far.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// This replica's name in the lease, for operators. Default: <c>null</c>: the machine name,
    /// the process id and a random suffix (two processes never share a name).
    /// </summary>
    [MaxLength(200)]
    public string? ReplicaName { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBatchAge < TimeSpan.FromMilliseconds(100) || MaxBatchAge > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                $"{Section}:MaxBatchAge must be between 00:00:00.1 and 1.00:00:00 (was {MaxBatchAge}).", [nameof(MaxBatchAge)]);
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                $"{Section}:LeaseDuration must be between 00:00:01 and 01:00:00 (was {LeaseDuration}).", [nameof(LeaseDuration)]);
        }
    }
}
