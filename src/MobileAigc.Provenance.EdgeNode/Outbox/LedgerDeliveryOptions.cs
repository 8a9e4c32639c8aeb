using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.EdgeNode.Outbox;

/// <summary>Where and how the node delivers its records to the ledger.</summary>
public sealed class LedgerDeliveryOptions
{
    /// <summary>The configuration section: <c>Ledger</c>.</summary>
    public const string Section = "Ledger";

    /// <summary>
    /// The ledger service's base address (e.g. <c>http://ledger:8080/</c>). Default: <c>null</c>,
    /// meaning no ledger: records stay in the outbox until one is configured.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Records per request. Default: 500; 1 to 1,000 (the ledger's limit).</summary>
    [Range(1, 1_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How often an idle dispatcher looks for new records. Default: 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The first retry delay after a failure; doubled per attempt up to <see cref="MaxBackoff"/>. Default: 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan MinBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest retry delay. Default: 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one delivery request may take. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
