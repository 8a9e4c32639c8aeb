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

    /// <summary>
    /// How many records one node may submit per <see cref="NodeQuotaWindow"/> (<see cref="NodeIngestQuota"/>);
    /// beyond them its records are refused with <c>ingest-quota-exceeded</c>, which the node retries later.
    /// Default: 10,000 (over 160 a second, far above what one edge node generates); from 1 to 10,000,000.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10_000_000)]
    public int NodeQuotaRecords { get; set; } = 10_000;

    /// <summary>The window of <see cref="NodeQuotaRecords"/>. Default: 1 minute; from 1 second to 1 day.</summary>
    public TimeSpan NodeQuotaWindow { get; set; } = TimeSpan.FromMinutes(1);

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

        if (NodeQuotaWindow < TimeSpan.FromSeconds(1) || NodeQuotaWindow > TimeSpan.FromDays(1))
        {
            yield return new System.ComponentModel.DataAnnotations.ValidationResult(
                $"{Section}:NodeQuotaWindow must be between 00:00:01 and 1.00:00:00 (was {NodeQuotaWindow}).", [nameof(NodeQuotaWindow)]);
        }
    }
}
