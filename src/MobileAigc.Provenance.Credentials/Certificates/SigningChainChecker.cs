using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// Checks a chain a provider brings for its nodes' C2PA signing: the leaf has a P-256 key (ES256),
/// keyUsage digitalSignature, an extended key usage C2PA accepts and no <c>anyExtendedKeyUsage</c>, and is
/// no CA; each certificate is signed by the next and the last by the given root; every certificate,
/// the root included, is valid at the given time. Revocation is not checked.
/// </summary>
public static class SigningChainChecker
{
    /// <summary>The OID of NIST P-256 (<c>prime256v1</c>).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>Every fault of <paramref name="chain"/> (leaf first) against <paramref name="root"/> at <paramref name="at"/>; empty when it may sign.</summary>
    public static IReadOnlyList<SigningChainFault> Check(IReadOnlyList<X509Certificate2> chain, X509Certificate2 root, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(root);
        if (chain.Count == 0)
        {
            return [new SigningChainFault("chain.empty", "The chain holds no certificate.")];
        }

        var faults = new List<SigningChainFault>();
        CheckLeaf(chain[0], faults);
        var path = chain.ToList();
        if (!path[^1].RawData.AsSpan().SequenceEqual(root.RawData))
        {
            path.Add(root);
        }

        foreach (var certificate in path)
        {
            CheckValidity(certificate, at, faults);
        }

        for (var i = 0; i + 1 < path.Count; i++)
        {
            CheckIssued(path[i], path[i + 1], intermediatesBelow: i, faults);
        }

        return faults;
    }

    private static void CheckLeaf(X509Certificate2 leaf, List<SigningChainFault> faults)
    {
        var subject = leaf.Subject;
        CheckKey(leaf, faults);
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is null || !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            faults.Add(new("leaf.keyUsage", $"The signer '{subject}' lacks keyUsage digitalSignature."));
        }

        var purposes = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault()?.EnhancedKeyUsages
            .Cast<System.Security.Cryptography.Oid>().Select(oid => oid.Value).ToList() ?? [];
        if (purposes.Contains(C2paKeyPurposes.AnyExtendedKeyUsage))
        {
            faults.Add(new("leaf.anyExtendedKeyUsage", $"The signer '{subject}' has anyExtendedKeyUsage, which C2PA refuses."));
        }

        if (!purposes.Any(purpose => purpose is not null && C2paKeyPurposes.Accepted.Contains(purpose)))
        {
            faults.Add(new("leaf.extendedKeyUsage",
                $"The signer '{subject}' has no extended key usage C2PA accepts (one of {string.Join(", ", C2paKeyPurposes.Accepted)})."));
        }

        if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
        {
            faults.Add(new("leaf.ca", $"The signer '{subject}' is a CA certificate (basicConstraints CA:true); a claim signer must be an end entity."));
        }
    }

    private static void CheckKey(X509Certificate2 leaf, List<SigningChainFault> faults)
    {
        ECDsa? ec;
        try
        {
            ec = leaf.GetECDsaPublicKey();
        }
        catch (CryptographicException e)
        {
            faults.Add(new("leaf.key", $"The signer '{leaf.Subject}' has an EC key this platform cannot read ({e.Message}); ES256 needs P-256."));
            return;
        }

        using (ec)
        {
            if (ec is null)
            {
                faults.Add(new("leaf.key", $"The signer '{leaf.Subject}' has a {leaf.PublicKey.Oid.FriendlyName ?? leaf.PublicKey.Oid.Value} key; C2PA ES256 signing needs an EC P-256 key."));
            }
            else if (ec.ExportParameters(false).Curve.Oid.Value != P256Oid)
            {
                faults.Add(new("leaf.key", $"The signer '{leaf.Subject}' has an EC key on {ec.ExportParameters(false).Curve.Oid.FriendlyName ?? "another curve"}; ES256 needs P-256."));
            }
        }
    }

    private static void CheckValidity(X509Certificate2 certificate, DateTimeOffset at, List<SigningChainFault> faults)
    {
        if (at < certificate.NotBefore.ToUniversalTime())
        {
            faults.Add(new("validity", $"'{certificate.Subject}' is not valid before {certificate.NotBefore.ToUniversalTime():u}."));
        }
        else if (at > certificate.NotAfter.ToUniversalTime())
        {
            faults.Add(new("validity", $"'{certificate.Subject}' expired at {certificate.NotAfter.ToUniversalTime():u}."));
        }
    }

    private static void CheckIssued(X509Certificate2 certificate, X509Certificate2 issuer, int intermediatesBelow, List<SigningChainFault> faults)
    {
        if (!certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            faults.Add(new("issuer", $"'{certificate.Subject}' is issued by '{certificate.Issuer}', not by '{issuer.Subject}': the chain does not chain."));
            return;
        }

        var constraints = issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        var usage = issuer.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true } || (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign)))
        {
            faults.Add(new("issuer.notCa", $"'{issuer.Subject}' issues '{certificate.Subject}' but is no CA (basicConstraints CA:true and keyCertSign)."));
        }
        else if (constraints.HasPathLengthConstraint && intermediatesBelow > constraints.PathLengthConstraint)
        {
            faults.Add(new("issuer.pathLength",
                $"'{issuer.Subject}' allows {constraints.PathLengthConstraint} intermediate CAs below it (pathLenConstraint); the chain has {intermediatesBelow}."));
        }

        try
        {
            BouncyCastleBridge.Certificate(certificate).Verify(BouncyCastleBridge.Certificate(issuer).GetPublicKey());
        }
        catch (Exception e) when (e is Org.BouncyCastle.Security.GeneralSecurityException or Org.BouncyCastle.Crypto.CryptoException
            or ArgumentException or InvalidOperationException)
        {
            faults.Add(new("signature", $"The signature on '{certificate.Subject}' does not verify with the key of '{issuer.Subject}'."));
        }
    }
}
