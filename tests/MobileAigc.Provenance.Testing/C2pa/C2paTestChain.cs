using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>A P-256 certificate chain built by <see cref="C2paTestCertificates.CreateChain"/>, with every private key.</summary>
/// <remarks>Holds private keys: dispose it when done.</remarks>
public sealed class C2paTestChain : IDisposable
{
    internal C2paTestChain(ECDsa caKey, X509Certificate2 ca, IReadOnlyList<(ECDsa Key, X509Certificate2 Certificate)> intermediates, ECDsa leafKey, X509Certificate2 leaf)
    {
        CaKey = caKey;
        Ca = ca;
        IntermediateKeys = [.. intermediates.Select(i => i.Key)];
        Intermediates = [.. intermediates.Select(i => i.Certificate)];
        LeafKey = leafKey;
        Leaf = leaf;
    }

    /// <summary>The root CA's private key.</summary>
    public ECDsa CaKey { get; }

    /// <summary>The self-signed root CA: the trust anchor.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>The intermediate CAs' private keys, in <see cref="Intermediates"/>' order.</summary>
    public IReadOnlyList<ECDsa> IntermediateKeys { get; }

    /// <summary>The intermediate CAs, the one the root issued first, the leaf's issuer last.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>The leaf's (the claim signer's) private key.</summary>
    public ECDsa LeafKey { get; }

    /// <summary>The leaf: the claim-signing certificate.</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The chain as a signer sends it: the leaf, then the intermediates from the leaf's issuer up, then the root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [Leaf, .. Intermediates.Reverse(), Ca];

    /// <summary>The chain in PEM as the official SDK signs with it (<see cref="Chain"/>, the leaf's key, the root to trust).</summary>
    public C2paSigningCredentials ToSigningCredentials()
    {
        var caPem = Ca.ExportCertificatePem();
        return new C2paSigningCredentials(
            ChainPem: string.Concat(Chain.Select(c => c.ExportCertificatePem() + "\n")),
            PrivateKeyPem: LeafKey.ExportPkcs8PrivateKeyPem(),
            TrustAnchorPem: caPem + "\n");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var disposable in new IDisposable[] { CaKey, Ca, LeafKey, Leaf }.Concat(IntermediateKeys).Concat(Intermediates))
        {
            disposable.Dispose();
        }
    }
}
