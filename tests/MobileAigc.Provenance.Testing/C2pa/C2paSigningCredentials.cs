namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>What the official SDK signs with, in PEM: a certificate chain, the leaf's key, and the CA to trust.</summary>
/// <param name="ChainPem">The certificates, leaf first (the CA's may follow; C2PA validators want the leaf issued by a CA).</param>
/// <param name="PrivateKeyPem">The leaf's P-256 private key, PKCS#8 (<c>BEGIN PRIVATE KEY</c>).</param>
/// <param name="TrustAnchorPem">The root CA certificate, to pass as a trust anchor when reading.</param>
public sealed record C2paSigningCredentials(string ChainPem, string PrivateKeyPem, string TrustAnchorPem);
