using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Signing;

/// <summary>
/// An <see cref="ICredentialSigner"/> over a P-256 key held in memory (the node's C2PA signing key)
/// and the chain of its certificate.
/// </summary>
/// <remarks>Thread-safe: <see cref="ECDsa"/> signing keeps no state between calls. The key and the
/// certificates stay the caller's: it disposes them after the signer's last use.</remarks>
public sealed class EcdsaCredentialSigner : ICredentialSigner
{
    private readonly ECDsa _key;

    /// <summary>Binds <paramref name="key"/> to <paramref name="chain"/> (leaf first).</summary>
    /// <exception cref="ArgumentException">The key is not on P-256, the chain is empty, or the leaf
    /// certificate's public key is not <paramref name="key"/>'s.</exception>
    public EcdsaCredentialSigner(ECDsa key, IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count == 0)
        {
            throw new ArgumentException("The certificate chain is empty: the signing certificate comes first.", nameof(chain));
        }

        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (!parameters.Curve.IsNamed || parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("ES256 needs a P-256 key.", nameof(key));
        }

        using var leafKey = chain[0].GetECDsaPublicKey()
            ?? throw new ArgumentException("The signing certificate holds no ECDSA public key.", nameof(chain));
        var leafParameters = leafKey.ExportParameters(includePrivateParameters: false);
        if (!leafParameters.Q.X.AsSpan().SequenceEqual(parameters.Q.X) || !leafParameters.Q.Y.AsSpan().SequenceEqual(parameters.Q.Y))
        {
            throw new ArgumentException("The signing certificate does not certify this key.", nameof(chain));
        }

        _key = key;
        Chain = chain;
    }

    /// <inheritdoc/>
    public CredentialSigningAlgorithm Algorithm => CredentialSigningAlgorithm.Es256;

    /// <inheritdoc/>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <inheritdoc/>
    public byte[] SignHash(ReadOnlySpan<byte> sha256Digest) =>
        _key.SignHash(sha256Digest.ToArray(), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
}
