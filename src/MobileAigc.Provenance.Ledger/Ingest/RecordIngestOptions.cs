namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>How the ledger checks submitted records. Section <c>Ledger:Ingest</c>.</summary>
public sealed class RecordIngestOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Ingest";

    /// <summary>
    /// How far in the future (by this ledger's clock) a record's timestamp may be: node clocks
    /// drift, but a record from the far future is a broken or lying node. Default: 10 minutes.
    /// Between 0 and 1 day.
    /// </summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How far in the past (by this ledger's clock) a record's timestamp may be. Nodes queue records
    /// durably while the ledger is away and send them when it is back, so the window must outlast an
    /// outage; beyond it a record is back-dated (or was kept too long) and is refused for good
    /// (<c>timestamp-too-old</c>), which the node keeps visible among its held records. Default: 3 days.
    /// Between 1 minute and 30 days.
    /// </summary>
    public TimeSpan MaxPastSkew { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// How many threads check the signatures of one request. Default: 0, meaning one per
    /// processor. Between 0 and 256.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(0, 256)]
    public int SignatureParallelism { get; set; }

    /// <inheritdoc />
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(
        System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (MaxFutureSkew < TimeSpan.Zero || MaxFutureSkew > TimeSpan.FromDays(1))
        {
            yield return new System.ComponentModel.DataAnnotations.ValidationResult(
                $"{Section}:MaxFutureSkew must be between 00:00:00 and 1.00:00:00 (was {MaxFutureSkew}).", [nameof(MaxFutureSkew)]);
        }

        if (MaxPastSkew < TimeSpan.FromMinutes(1) || MaxPastSkew > TimeSpan.FromDays(30))
        {
            yield return new System.ComponentModel.DataAnnotations.ValidationResult(
                $"{Section}:MaxPastSkew must be between 00:01:00 and 30.00:00:00 (was {MaxPastSkew}).", [nameof(MaxPastSkew)]);
        }
    }
}
