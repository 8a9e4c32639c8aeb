using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// The read-only auditor key: <c>Authorization: Bearer &lt;key&gt;</c> with the content of
/// <see cref="LedgerHostOptions.AuditorApiKeyFile"/>, compared in constant time. It opens the
/// dashboard's data (policy <see cref="DashboardPolicy"/>, which the admin key opens too) and
/// nothing else: the admin routes authenticate with the admin scheme only.
/// </summary>
internal sealed class AuditorApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<LedgerHostOptions> host)
    : ApiKeyAuthentication(options, logger, encoder, "auditor", host.Value.AuditorApiKeyFile)
{
    public const string SchemeName = "AuditorApiKey";

    /// <summary>The policy of the dashboard's routes: the admin key or the auditor key.</summary>
    public const string DashboardPolicy = "dashboard";
}
