using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>The web host's own settings. Section <c>Ledger:Host</c>.</summary>
public sealed class LedgerHostOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Host";

    /// <summary>The largest request body accepted, in bytes (uploads for verification included). Default: 16 MiB.</summary>
    [Range(1_024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Requests one client address may make per <see cref="RateLimitWindow"/> to public endpoints. Default: 1,200.</summary>
    [Range(1, int.MaxValue)]
    public int RateLimitPermits { get; set; } = 1_200;

    /// <summary>The window of <see cref="RateLimitPermits"/>. Default: 1 minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A file holding the admin API key (a mounted secret). Default: <c>null</c>: admin endpoints
    /// refuse every request.
    /// </summary>
    public string? AdminApiKeyFile { get; set; }
}
