using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// The node's C2PA signing identity: the P-256 key its manifests' claims are signed with (ES256), the
/// certificate chain that goes into each signature, and the node key's binding of the certificate to the
/// node address. Loaded (or, on development defaults, made) by <see cref="C2paSigningIdentityFiles"/>.
/// </summary>
/// <remarks>
/// Holds a private key; disposed with the node. Signing with <see cref="SigningKey"/> is safe from several threads. A renewed
/// identity (<see cref="Renewed"/>) shares its predecessor's key: only the latest is disposed (by <see cref="C2paSigningIdentityKeeper"/>).
/// </remarks>
public sealed class C2paSigningIdentity : IDisposable
{
    internal C2paSigningIdentity(ECDsa signingKey, IReadOnlyList<X509Certificate2> chain, CertificateBinding? binding, EvmAddress node, bool development)
    {
        SigningKey = signingKey;
        Chain = chain;
        Binding = binding;
        Node = node;
        IsDevelopment = development;
    }

    /// <summary>The P-256 signing key.</summary>
    public ECDsa SigningKey { get; }

    /// <summary>The certificate chain, leaf first, as checked at start (the root last when the files hold it).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The signing certificate: <see cref="Chain"/>'s first.</summary>
    public X509Certificate2 Certificate => Chain[0];

    /// <summary>The node key's binding of <see cref="Certificate"/> to <see cref="Node"/>; <c>null</c> when no <c>ModelRegistry</c> is configured to sign it under.</summary>
    public CertificateBinding? Binding { get; }

    /// <summary>The node the identity speaks for.</summary>
    public EvmAddress Node { get; }

    /// <summary>Whether the chain ends in the development CA the node made itself: trusted by no reader until added to its trust list.</summary>
    public bool IsDevelopment { get; }

    /// <summary>This identity with a renewed chain and its binding: the same key, node and kind.</summary>
    internal C2paSigningIdentity Renewed(IReadOnlyList<X509Certificate2> chain, CertificateBinding? binding) =>
        new(SigningKey, chain, binding, Node, IsDevelopment);

    /// <inheritdoc />
    public void Dispose()
    {
        SigningKey.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
