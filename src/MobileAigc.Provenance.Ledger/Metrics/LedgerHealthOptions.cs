using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Metrics;

/// <summary>
/// When the ledger's readiness turns <c>Degraded</c>, and how often its state is read for the
/// metrics. Section <c>Ledger:Health</c>.
/// </summary>
public sealed class LedgerHealthOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Health";

    /// <summary>
    /// The <c>anchoring-backlog</c> check is degraded once the oldest record not yet anchored has
    /// waited longer than this. Default: 10 minutes. Keep it well above
    /// <c>Ledger:Anchoring:MaxBatchAge</c> plus the time the confirmations take. Between 1 second and 7 days.
    /// </summary>
    public TimeSpan MaxAnchoringBacklogAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The <c>indexer-lag</c> check is degraded once an indexer is more than this many confirmed
    /// blocks behind the chain. Default: 100. Between 1 and 1,000,000.
    /// </summary>
    [Range(1, 1_000_000)]
    public long MaxIndexerLagBlocks { get; set; } = 100;

    /// <summary>
    /// How often the backlog and the indexers' lag are read (one cheap query each, however many
    /// scrapes and probes ask). Default: 5 seconds. Between 100 ms and 5 minutes.
    /// </summary>
    public TimeSpan ReadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxAnchoringBacklogAge < TimeSpan.FromSeconds(1) || MaxAnchoringBacklogAge > TimeSpan.FromDays(7))
        {
            yield return new ValidationResult(
                $"{Section}:MaxAnchoringBacklogAge must be between 00:00:01 and 7.00:00:00 (was {MaxAnchoringBacklogAge}).", [nameof(MaxAnchoringBacklogAge)]);
        }

        if (ReadInterval < TimeSpan.FromMilliseconds(100) || ReadInterval > TimeSpan.FromMinutes(5))
        {
            yield return new ValidationResult(
                $"{Section}:ReadInterval must be between 00:00:00.1 and 00:05:00 (was {ReadInterval}).", [nameof(ReadInterval)]);
        }
    }
}
