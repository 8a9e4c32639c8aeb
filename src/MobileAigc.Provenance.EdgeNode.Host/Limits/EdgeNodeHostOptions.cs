using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MobileAigc.Provenance.EdgeNode.Host.Limits;

/// <summary>The host's protective limits and its proxies (section <c>EdgeNode:Host</c>).</summary>
public sealed class EdgeNodeHostOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>EdgeNode:Host</c>.</summary>
    public const string Section = "EdgeNode:Host";

    /// <summary>Generations running at once, over both generation routes. Default: the number of processors (at least 1).</summary>
    [Range(1, 1_024)]
    public int MaxConcurrentGenerations { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Generation requests that may wait for a slot; beyond them a request is answered 503 at once. Default: 4.</summary>
    [Range(0, 1_000)]
    public int GenerationQueueLimit { get; set; } = 4;

    /// <summary>The <c>Retry-After</c> a busy node answers, in whole seconds. Default: 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan BusyRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest request body, in bytes. Default: 64 KiB (a prompt is at most 2,000 characters).</summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Largest body of <c>POST v1/generate/image</c>, which may carry an input picture (up to 8 MiB, base64 in JSON).
    /// Default: 12 MiB. Other routes keep <see cref="MaxRequestBodyBytes"/>.
    /// </summary>
    [Range(1_024, 64 * 1024 * 1024)]
    public long MaxImageRequestBodyBytes { get; set; } = 12 * 1024 * 1024;

    /// <summary>
    /// The reverse proxies (IP addresses) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
    /// the host believes. Default: none: forwarded headers are ignored and the client is the peer
    /// address, whoever sends the headers.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];

    /// <summary>The parsed <see cref="TrustedProxies"/>.</summary>
    public IEnumerable<IPAddress> TrustedProxyAddresses => TrustedProxies.Select(IPAddress.Parse);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => new ValidationResult($"TrustedProxies: '{p}' is not an IP address.", [nameof(TrustedProxies)]));
}
