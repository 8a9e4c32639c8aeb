namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>Where the node's C2PA signing identity is, and whether a development CA may make it.</summary>
/// <param name="SigningKeyPath">The P-256 key (PEM, PKCS#8).</param>
/// <param name="ChainPath">The certificate chain (PEM, leaf first).</param>
/// <param name="TrustAnchorPath">The root the chain must chain to; <c>null</c> for the chain's own last certificate.</param>
/// <param name="BindingPath">The node key's binding of the certificate (JSON).</param>
/// <param name="DevelopmentFolder">Where a development CA makes key and chain when both are missing; <c>null</c> when none may be made.</param>
/// <param name="DevelopmentCertificateValidity">How long a development node certificate is valid.</param>
public readonly record struct C2paCredentialLocation(
    string SigningKeyPath, string ChainPath, string? TrustAnchorPath, string BindingPath, string? DevelopmentFolder, TimeSpan DevelopmentCertificateValidity);
