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

    /// <summary>The contract's <c>MAX_BATCH_SIZE</c>: the most records one <c>anchorBatch</c> may cover.</summary>
    public const int ContractMaxBatchSize = 65_536;

    /// <summary>
    /// The most records one batch takes: a batch closes as soon as this many wait, and otherwise takes whatever waits
    /// when its oldest record is <see cref="MaxBatchAge"/> old. Default: 65,536, the contract's <c>MAX_BATCH_SIZE</c>
    /// (the root costs the same gas for any count; the Merkle tree of 65,536 leaves takes about 4 MiB and its proofs
    /// 32 MiB while the batch is planned). Between 1 and 65,536.
    /// </summary>
    [Range(1, ContractMaxBatchSize)]
    public int BatchSize { get; set; } = ContractMaxBatchSize;

    /// <summary>
    /// How many batches may wait for their transaction to be mined at once, each with the next nonce of the anchorer
    /// account (mined batches waiting only for confirmations do not count). Default: 8; between 1 and 64. Nodes keep
    /// about 16 pending transactions per account (geth's <c>AccountSlots</c>): stay below it.
    /// </summary>
    [Range(1, 64)]
    public int MaxInFlight { get; set; } = 8;

    /// <summary>
    /// The gas limit of every <c>anchorBatch</c> transaction. Default: 300,000 (a batch uses under 100,000 whatever its
    /// record count; only the gas used is paid). A fixed limit, because a batch sent behind one not yet mined cannot be
    /// estimated: the chain would refuse its first sequence until the earlier one is mined. Between 50,000 and 10,000,000.
    /// </summary>
    [Range(50_000, 10_000_000)]
    public long GasLimit { get; set; } = 300_000;

    /// <summary>
    /// A transaction still not mined this long after it was sent is replaced: same nonce, fees raised by
    /// <see cref="FeeBumpPercent"/>. Default: 45 seconds (more than three 12-second blocks). Between 1 second and 1 day.
    /// </summary>
    public TimeSpan ReplaceAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// How much a replacement raises both the fee cap and the priority fee over the replaced transaction's, in percent.
    /// Default: 25. Between 10 and 1,000: nodes refuse a replacement that raises either by less than 10 % (geth's
    /// <c>PriceBump</c>), and the fee cap must also cover the base fee, which may rise by 12.5 % a block (EIP-1559).
    /// </summary>
    [Range(10, 1_000)]
    public int FeeBumpPercent { get; set; } = 25;

    /// <summary>
    /// The highest fee cap (wei per gas) the worker ever signs; replacements stop rising there and an operator is told.
    /// Default: 500 gwei. At least 1 wei.
    /// </summary>
    [Range(1, long.MaxValue)]
    public long MaxFeePerGasLimit { get; set; } = 500_000_000_000;

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

        if (ReplaceAfter < TimeSpan.FromSeconds(1) || ReplaceAfter > TimeSpan.FromDays(1))
        {
            yield return new ValidationResult(
                $"{Section}:ReplaceAfter must be between 00:00:01 and 1.00:00:00 (was {ReplaceAfter}).", [nameof(ReplaceAfter)]);
        }

        if (LeaseDuration < TimeSpan.FromSeconds(1) || LeaseDuration > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                $"{Section}:LeaseDuration must be between 00:00:01 and 01:00:00 (was {LeaseDuration}).", [nameof(LeaseDuration)]);
        }
    }
}
