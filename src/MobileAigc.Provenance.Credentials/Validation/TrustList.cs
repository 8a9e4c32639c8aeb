using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// The trust anchors a signing credential must chain to for <c>signingCredential.trusted</c>, and those a
/// time-stamp authority must chain to for <c>timeStamp.trusted</c> (C2PA keeps a separate list of
/// time-stamp authorities; by default the same anchors). Empty by default, as the SDK is with no trust
/// list configured (every signer is then untrusted).
/// </summary>
public sealed class TrustList
{
    private TrustList(IReadOnlyList<X509Certificate2> anchors, IReadOnlyList<X509Certificate2> timeStampAnchors)
    {
        Anchors = anchors;
        TimeStampAnchors = timeStampAnchors;
    }

    /// <summary>No anchors.</summary>
    public static TrustList Empty { get; } = new([], []);

    /// <summary>The anchor certificates of claim signers.</summary>
    public IReadOnlyList<X509Certificate2> Anchors { get; }

    /// <summary>The anchor certificates of time-stamp authorities (by default <see cref="Anchors"/>).</summary>
    public IReadOnlyList<X509Certificate2> TimeStampAnchors { get; }

    /// <summary>True when any anchor, of signers or of time-stamp authorities, is configured.</summary>
    public bool IsConfigured => Anchors.Count > 0 || TimeStampAnchors.Count > 0;

    /// <summary>A trust list of the given anchors, for signers and time-stamp authorities alike.</summary>
    public static TrustList Of(IEnumerable<X509Certificate2> anchors)
    {
        IReadOnlyList<X509Certificate2> list = [.. anchors];
        return new(list, list);
    }

    /// <summary>This list with <paramref name="timeStampAnchors"/> as the only anchors of time-stamp authorities.</summary>
    public TrustList WithTimeStampAnchors(IEnumerable<X509Certificate2> timeStampAnchors) => new(Anchors, [.. timeStampAnchors]);

    /// <summary>A trust list of every certificate in the PEM text.</summary>
    /// <exception cref="CryptographicException">When a PEM block is not a certificate.</exception>
    public static TrustList FromPem(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        return Of(collection);
    }
}
