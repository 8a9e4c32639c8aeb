using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// Where the node's C2PA signing identity lives (<c>EdgeNode:Credentials</c>): a P-256 key, its
/// certificate chain and the node key's binding of the certificate. Left unset, all three are in
/// <c>c2pa/</c> under the data folder and a development CA makes them at first start.
/// </summary>
public sealed class C2paCredentialOptions : IValidatableObject
{
    /// <summary>The configuration section: <c>EdgeNode:Credentials</c>.</summary>
    public const string Section = EdgeNodeOptions.Section + ":Credentials";

    /// <summary>The P-256 signing key (PEM, PKCS#8, owner-only). Default: <c>null</c>, meaning <c>c2pa/signing.key.pem</c> in the data folder.</summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>The certificate chain (PEM, leaf first). Default: <c>null</c>, meaning <c>c2pa/chain.pem</c> in the data folder.</summary>
    public string? ChainPath { get; set; }

    /// <summary>
    /// The root the chain must chain to, for a provider's chain that leaves its root out. Default:
    /// <c>null</c>, meaning the chain's last certificate, which must then be self-signed.
    /// </summary>
    public string? TrustAnchorPath { get; set; }

    /// <summary>The node key's binding of the certificate (JSON), rewritten at start when stale. Default: <c>null</c>, meaning <c>c2pa/binding.json</c> in the data folder.</summary>
    public string? BindingPath { get; set; }

    /// <summary>
    /// The <c>ModelRegistry</c> whose EIP-712 domain (with <see cref="EdgeNodeOptions.ChainId"/>) the binding is
    /// signed in. Default: <c>null</c>, meaning <c>Payments:ModelRegistry</c> in the host; with neither, the
    /// certificate stays unbound and the node says so in its log.
    /// </summary>
    [RegularExpression("^0x[0-9a-fA-F]{40}$", ErrorMessage = "EdgeNode:Credentials:ModelRegistry must be a 0x-prefixed 20-byte address.")]
    public string? ModelRegistry { get; set; }

    /// <summary>
    /// Make a development CA and a node certificate at first start when neither key nor chain path is
    /// configured and the default files are missing. Default: true. A development CA is trusted by no
    /// one: readers report such credentials as untrusted until its certificate is on their trust list.
    /// </summary>
    public bool CreateDevelopmentCredentials { get; set; } = true;

    /// <summary>How long a development node certificate is valid, in days. Default: 365.</summary>
    [Range(1, 36500)]
    public int DevelopmentCertificateDays { get; set; } = 365;

    /// <summary>
    /// How many days before its expiry the node acts on its signing certificate, in days. Default: 30. A development
    /// certificate is renewed (at start, and by the running node) once it expires within this window; a
    /// provider's certificate is never renewed by the node, which warns within the window and refuses to sign once
    /// it has expired. Must be shorter than <see cref="DevelopmentCertificateDays"/>, or every renewal would be due at once.
    /// </summary>
    [Range(1, 3650)]
    public int CertificateRenewalDays { get; set; } = 30;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CertificateRenewalDays >= DevelopmentCertificateDays)
        {
            yield return new ValidationResult(
                $"EdgeNode:Credentials:CertificateRenewalDays ({CertificateRenewalDays}) must be shorter than DevelopmentCertificateDays ({DevelopmentCertificateDays}).",
                [nameof(CertificateRenewalDays)]);
        }
    }
}
