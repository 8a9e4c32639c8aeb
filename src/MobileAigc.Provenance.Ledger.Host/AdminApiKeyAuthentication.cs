using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// Admin endpoints take <c>Authorization: Bearer &lt;key&gt;</c>, where the key is the content of
/// <see cref="LedgerHostOptions.AdminApiKeyFile"/>. Without a configured key every admin request
/// is refused. Keys are compared in constant time.
/// </summary>
internal sealed class AdminApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IOptions<LedgerHostOptions> host)
    : ApiKeyAuthentication(options, logger, encoder, "admin", host.Value.AdminApiKeyFile)
{
    public const string SchemeName = "AdminApiKey";
    public const string Policy = "admin";
}
