namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// The extended key usages C2PA accepts on a claim signing certificate (the specification's trust
/// model; the same list as the official SDK's): a signer needs at least one, and
/// <c>anyExtendedKeyUsage</c> is refused.
/// </summary>
public static class C2paKeyPurposes
{
    /// <summary><c>id-kp-emailProtection</c>.</summary>
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";

    /// <summary><c>id-kp-documentSigning</c> (RFC 9336).</summary>
    public const string DocumentSigning = "1.3.6.1.5.5.7.3.36";

    /// <summary><c>id-kp-timeStamping</c>.</summary>
    public const string TimeStamping = "1.3.6.1.5.5.7.3.8";

    /// <summary><c>id-kp-OCSPSigning</c>.</summary>
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";

    /// <summary>Microsoft's C2PA signing purpose.</summary>
    public const string MicrosoftC2paSigning = "1.3.6.1.4.1.311.76.59.1.9";

    /// <summary><c>c2pa-kp-claimSigning</c>, the C2PA's own purpose.</summary>
    public const string C2paClaimSigning = "1.3.6.1.4.1.62558.2.1";

    /// <summary><c>anyExtendedKeyUsage</c>: never accepted on a C2PA signer.</summary>
    public const string AnyExtendedKeyUsage = "2.5.29.37.0";

    /// <summary>Every purpose a C2PA signer may carry.</summary>
    public static IReadOnlySet<string> Accepted { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        EmailProtection, DocumentSigning, TimeStamping, OcspSigning, MicrosoftC2paSigning, C2paClaimSigning,
    };

    /// <summary>The purposes a node certificate issued here carries: understood by the official SDK and by older readers.</summary>
    public static IReadOnlyList<string> NodeCertificate { get; } = [EmailProtection, C2paClaimSigning];
}
