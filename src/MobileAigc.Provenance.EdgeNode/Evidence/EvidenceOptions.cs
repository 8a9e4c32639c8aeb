using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.EdgeNode.Evidence;

/// <summary>
/// How the node pulls and keeps the evidence of its own anchored records (<see cref="EvidenceKeeper"/>). It runs when
/// the node has a ledger (<c>Ledger:BaseAddress</c>) and reads the chain (<c>Payments:RpcUrl</c>): a proof is kept only
/// once its root is checked on chain.
/// </summary>
public sealed class EvidenceOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>Evidence</c>.</summary>
    public const string Section = "Evidence";

    /// <summary>Whether the node keeps its records' evidence. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Digests per request to the ledger. Default: 500; 1 to 1,000 (the ledger's limit).</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How often the keeper looks for records due to be asked for their proof, and how long a record waits before it is
    /// asked again the first time (the wait then doubles per ask up to <see cref="MaxBackoff"/>). Default: 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait before a record without evidence (not anchored yet, or its evidence refused) is asked again, and
    /// between passes while the ledger or the chain cannot be read: both waits double from <see cref="PollInterval"/> up
    /// to this. Default: 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Blocks after the anchoring block the chain must have before a proof is kept, as the ledger waits. Default: 2.</summary>
    [Range(0, 1_000)]
    public int Confirmations { get; set; } = 2;

    /// <summary>
    /// The ledger's anchoring accounts: when any is listed, a root anchored by another account is refused. Default: none,
    /// meaning any anchorer the contract allowed (the root is on chain and the proof leads to it either way).
    /// </summary>
    public IList<string> Anchorers { get; init; } = [];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBackoff < PollInterval)
        {
            yield return new ValidationResult("Evidence:MaxBackoff must be at least Evidence:PollInterval.", [nameof(MaxBackoff)]);
        }

        foreach (var anchorer in Anchorers.Where(a => !Core.Primitives.EvmAddress.TryParse(a, out _)))
        {
            yield return new ValidationResult($"Evidence:Anchorers holds '{anchorer}', which is no 0x-prefixed 20-byte address.", [nameof(Anchorers)]);
        }
    }
}
