using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MobileAigc.Provenance.Ledger.Host;

/// <summary>
/// A scheme that takes <c>Authorization: Bearer &lt;key&gt;</c> and compares it in constant time with
/// the content of one key file (a mounted secret), read once. Without a configured key file every
/// request presenting a key fails. The key's length does not leak either: both sides are hashed first.
/// </summary>
internal abstract class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, string role, string? keyFile)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private readonly Lazy<byte[]?> _keyHash = new(() => keyFile is null
        ? null
        : File.ReadAllText(keyFile).Trim() is { Length: > 0 } key ? SHA256.HashData(Encoding.UTF8.GetBytes(key)) : null);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        if (_keyHash.Value is not { } key || !CryptographicOperations.FixedTimeEquals(presented, key))
        {
            return Task.FromResult(AuthenticateResult.Fail($"Invalid {role} API key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, role), new Claim(ClaimTypes.Role, role)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }
}
