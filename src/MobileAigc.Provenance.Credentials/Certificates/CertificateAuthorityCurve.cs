namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>The curve of a provider CA's key: both sign with ECDSA, as C2PA readers accept.</summary>
public enum CertificateAuthorityCurve
{
    /// <summary>NIST P-256, certificates signed with ECDSA over SHA-256 (the default).</summary>
    P256,

    /// <summary>NIST P-384, certificates signed with ECDSA over SHA-384.</summary>
    P384,
}
