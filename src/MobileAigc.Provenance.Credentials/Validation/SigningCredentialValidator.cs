using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Certificates;
using Org.BouncyCastle.X509;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>
/// Checks a claim signer's certificate against C2PA's profile (digitalSignature key usage, an extended
/// key usage C2PA accepts and no anyExtendedKeyUsage, validity at the signing time), that its
/// <c>x5chain</c> chains (each certificate signed by the next), and whether it chains to a trust anchor.
/// </summary>
internal static class SigningCredentialValidator
{
    // One list for the signers we check and the certificates we issue.
    private const string AnyExtendedKeyUsage = C2paKeyPurposes.AnyExtendedKeyUsage;

    private static readonly IReadOnlySet<string> AcceptedExtendedKeyUsages = C2paKeyPurposes.Accepted;

    /// <summary>Why the signer's certificate breaks the profile, or null when it does not.</summary>
    public static string? ProfileViolation(X509Certificate2 signer)
    {
        if (signer.Version != 3)
        {
            return $"the signer's certificate is X.509 version {signer.Version}, not 3";
        }

        var keyUsage = signer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null || !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return "the signer's certificate lacks the digitalSignature key usage";
        }

        if (signer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
        {
            return "the signer's certificate is a CA certificate";
        }

        var extendedKeyUsage = signer.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        if (extendedKeyUsage is null)
        {
            return "the signer's certificate has no extended key usage";
        }

        var usages = extendedKeyUsage.EnhancedKeyUsages.Cast<Oid>().Select(oid => oid.Value ?? "").ToList();
        if (usages.Contains(AnyExtendedKeyUsage))
        {
            return "the signer's certificate allows anyExtendedKeyUsage";
        }

        return usages.Any(AcceptedExtendedKeyUsages.Contains)
            ? null
            : "the signer's certificate has no extended key usage C2PA accepts (" + string.Join(", ", usages) + ")";
    }

    /// <summary>Why <paramref name="chain"/> does not chain (certificate i signed by certificate i+1), or null.</summary>
    public static string? ChainBreak(IReadOnlyList<X509Certificate2> chain)
    {
        var parser = new X509CertificateParser();
        for (var i = 0; i + 1 < chain.Count; i++)
        {
            try
            {
                var subject = parser.ReadCertificate(chain[i].RawData);
                var issuer = parser.ReadCertificate(chain[i + 1].RawData);
                subject.Verify(issuer.GetPublicKey());
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // BouncyCastle's DER parsers throw many exception types on malformed input; each means no chain.
                _ = e;
                return $"x5chain certificate {i} ({chain[i].Subject}) is not signed by certificate {i + 1} ({chain[i + 1].Subject})";
            }
        }

        return null;
    }

    /// <summary>True when the signer chains, through <paramref name="chain"/>, to an anchor of <paramref name="trust"/> at <paramref name="time"/>.</summary>
    public static bool IsTrusted(IReadOnlyList<X509Certificate2> chain, TrustList trust, DateTimeOffset time)
    {
        if (trust.Anchors.Count == 0 || chain.Count == 0)
        {
            return false;
        }

        if (trust.Anchors.Any(anchor => anchor.RawDataMemory.Span.SequenceEqual(chain[0].RawDataMemory.Span)))
        {
            return true;
        }

        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.VerificationTime = time.UtcDateTime;
        builder.ChainPolicy.DisableCertificateDownloads = true;
        builder.ChainPolicy.CustomTrustStore.AddRange(trust.Anchors.ToArray());
        builder.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
        return builder.Build(chain[0]);
    }
}
