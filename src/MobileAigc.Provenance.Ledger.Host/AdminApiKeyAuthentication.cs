using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
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
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AdminApiKey";
    public const string Policy = "admin";

    private readonly Lazy<byte[]?> _key = new(() => host.Value.AdminApiKeyFile is { } path
        ? Encoding.UTF8.GetBytes(File.ReadAllText(path).Trim())
        : null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim());
        if (_key.Value is not { Length: > 0 } key || !CryptographicOperations.FixedTimeEquals(presented, key))
        {
            return Task.FromResult(AuthenticateResult.Fail("Invalid admin API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
