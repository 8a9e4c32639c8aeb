using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// The trust anchors a signing credential must chain to for <c>signingCredential.trusted</c>. Empty by
/// default, as the SDK is with no trust list configured (every signer is then untrusted).
/// </summary>
public sealed class TrustList
{
    private TrustList(IReadOnlyList<X509Certificate2> anchors) => Anchors = anchors;

    /// <summary>No anchors.</summary>
    public static TrustList Empty { get; } = new([]);

    /// <summary>The anchor certificates.</summary>
    public IReadOnlyList<X509Certificate2> Anchors { get; }

    /// <summary>A trust list of the given anchors.</summary>
    public static TrustList Of(IEnumerable<X509Certificate2> anchors) => new([.. anchors]);

    /// <summary>A trust list of every certificate in the PEM text.</summary>
    /// <exception cref="CryptographicException">When a PEM block is not a certificate.</exception>
    public static TrustList FromPem(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return new([.. collection]);
    }
}
