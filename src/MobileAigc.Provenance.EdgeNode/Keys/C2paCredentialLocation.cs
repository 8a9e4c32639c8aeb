namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>Where the node's C2PA signing identity is, and whether a development CA may make it.</summary>
/// <param name="SigningKeyPath">The P-256 key (PEM, PKCS#8).</param>
/// <param name="ChainPath">The certificate chain (PEM, leaf first).</param>
/// <param name="TrustAnchorPath">The root the chain must chain to; <c>null</c> for the chain's own last certificate.</param>
/// <param name="BindingPath">The node key's binding of the certificate (JSON).</param>
/// <param name="DevelopmentFolder">Where a development CA makes key and chain when both are missing; <c>null</c> when none may be made.</param>
/// <param name="DevelopmentCertificateValidity">How long a development node certificate is valid.</param>
/// <param name="RenewalWindow">
/// How long before its expiry the signing certificate is acted on: a development certificate renewed, a provider's warned of.
/// </param>
public readonly record struct C2paCredentialLocation(
    string SigningKeyPath, string ChainPath, string? TrustAnchorPath, string BindingPath, string? DevelopmentFolder, TimeSpan DevelopmentCertificateValidity,
    TimeSpan RenewalWindow)
{
    /// <summary>Whether <paramref name="certificate"/> has expired at <paramref name="now"/> or will within <see cref="RenewalWindow"/>.</summary>
    public bool IsDue(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new DateTimeOffset(certificate.NotAfter.ToUniversalTime()) - RenewalWindow <= now;
    }
}
