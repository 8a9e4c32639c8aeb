using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// How the chain event indexers (registry, payment channels) read events. Section <c>Ledger:Indexer</c>. The start block,
/// the confirmations and the poll interval come from <c>Ledger:Chain</c>.
/// </summary>
public sealed class ChainIndexerOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Indexer";

    /// <summary>
    /// The most blocks one <c>eth_getLogs</c> call (and one database transaction) covers.
    /// Default: 2,000, which public RPC providers accept. Between 1 and 100,000.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxBlockRange { get; set; } = 2_000;

    /// <summary>The first wait after a failure (chain node or database away). Default: 1 second. Between 10 ms and 1 hour.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries; the wait doubles up to it. Default: 1 minute. Between 10 ms and 1 hour.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryInitialDelay < TimeSpan.FromMilliseconds(10) || RetryInitialDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                $"{Section}:RetryInitialDelay must be between 00:00:00.01 and 01:00:00 (was {RetryInitialDelay}).", [nameof(RetryInitialDelay)]);
        }

        if (RetryMaxDelay < RetryInitialDelay || RetryMaxDelay > TimeSpan.FromHours(1))
        {
            yield return new ValidationResult(
                $"{Section}:RetryMaxDelay must be between RetryInitialDelay and 01:00:00 (was {RetryMaxDelay}).", [nameof(RetryMaxDelay)]);
        }
    }
}
