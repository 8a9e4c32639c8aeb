using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Tests.Certificates;

public sealed class ProviderCertificateAuthorityTests
{
    [Fact]
    public void Create_IsASelfSignedCaWithPathLengthZeroKeyCertSignAndCrlSign()
    {
        using var pki = new TestPki();
        var ca = pki.Authority.Certificate;

        Assert.Equal(ca.SubjectName.RawData, ca.IssuerName.RawData);
        Assert.Equal(["2.5.29.19", "2.5.29.15", "2.5.29.14"], ca.Extensions.Select(e => e.Oid!.Value!).ToArray());
        var constraints = Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(constraints.Critical);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        var usage = Assert.Single(ca.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.Equal(pki.Time.GetUtcNow().AddDays(3650).UtcDateTime, ca.NotAfter.ToUniversalTime());
        Assert.Contains("O=\"Test Provider, Inc.\"", ca.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueNodeCertificate_HasExactlyTheC2paSignerExtensions()
    {
        using var pki = new TestPki();
        var leaf = pki.Leaf;

        Assert.Equal(["2.5.29.15", "2.5.29.37", "2.5.29.17", "2.5.29.14", "2.5.29.35"], leaf.Extensions.Select(e => e.Oid!.Value!).ToArray());
        var usage = Assert.Single(leaf.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        var purposes = Assert.Single(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>()).EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value!).ToArray();
        Assert.Equal([C2paKeyPurposes.EmailProtection, C2paKeyPurposes.C2paClaimSigning], purposes);
        Assert.DoesNotContain(C2paKeyPurposes.AnyExtendedKeyUsage, purposes);
        Assert.Empty(leaf.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.Equal(pki.Node.ToString(), leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(pki.Node, NodeCertificateNames.NodeOf(leaf));
        Assert.Equal(pki.Authority.Certificate.SubjectName.RawData, leaf.IssuerName.RawData);
    }

    [Fact]
    public void IssueNodeCertificate_AuthorityKeyIdIsTheCasSubjectKeyId_AndSerialsAreRandom()
    {
        using var pki = new TestPki();
        var caKeyId = Assert.Single(pki.Authority.Certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>()).SubjectKeyIdentifierBytes;
        var authorityKeyId = Assert.Single(pki.Leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>()).KeyIdentifier;
        using var second = pki.Authority.IssueNodeCertificate(pki.Node, pki.SigningKey, TimeSpan.FromDays(365), pki.Time);

        Assert.True(authorityKeyId.HasValue);
        Assert.Equal(caKeyId.ToArray(), authorityKeyId.Value.ToArray());
        Assert.NotEqual(pki.Leaf.SerialNumber, second.SerialNumber);
        Assert.True(pki.Leaf.SerialNumberBytes.Length >= 8);
    }

    [Fact]
    public void IssueNodeCertificate_ItsPublicKeyVerifiesASignatureOfTheNodeKey()
    {
        using var pki = new TestPki();
        var signature = pki.SigningKey.SignData("claim"u8, HashAlgorithmName.SHA256);

        using var fromCertificate = pki.Leaf.GetECDsaPublicKey()!;

        Assert.True(fromCertificate.VerifyData("claim"u8, signature, HashAlgorithmName.SHA256));
        Assert.False(fromCertificate.VerifyData("other"u8, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public void IssueNodeCertificate_NeverOutlivesTheCa()
    {
        using var pki = new TestPki();

        using var leaf = pki.Authority.IssueNodeCertificate(pki.Node, pki.SigningKey, TimeSpan.FromDays(100_000), pki.Time);

        Assert.Equal(pki.Authority.Certificate.NotAfter, leaf.NotAfter);
    }

    [Fact]
    public void IssueNodeCertificate_AP384KeyOrTheZeroAddress_IsRefused()
    {
        using var pki = new TestPki();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.Throws<ArgumentException>(() => pki.Authority.IssueNodeCertificate(pki.Node, p384, TimeSpan.FromDays(1), pki.Time));
        Assert.Throws<ArgumentException>(() => pki.Authority.IssueNodeCertificate(EvmAddress.Zero, pki.SigningKey, TimeSpan.FromDays(1), pki.Time));
    }

    [Fact]
    public void IssueNodeCertificate_ByAnExpiredCa_Throws()
    {
        using var pki = new TestPki();
        pki.Time.Advance(TimeSpan.FromDays(3651));

        Assert.Throws<InvalidOperationException>(() => pki.Authority.IssueNodeCertificate(pki.Node, pki.SigningKey, TimeSpan.FromDays(1), pki.Time));
    }

    [Fact]
    public void Create_P384_IssuesACheckedChainSignedWithSha384()
    {
        using var pki = new TestPki(CertificateAuthorityCurve.P384);

        Assert.Equal("1.2.840.10045.4.3.3", pki.Leaf.SignatureAlgorithm.Value);
        Assert.Empty(SigningChainChecker.Check(pki.Chain, pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void FromKey_AnotherKeyOrANonCaCertificate_IsRefused()
    {
        using var pki = new TestPki();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<ArgumentException>(() => ProviderCertificateAuthority.FromKey(pki.Authority.Certificate, other));
        Assert.Throws<ArgumentException>(() => ProviderCertificateAuthority.FromKey(pki.Leaf, pki.SigningKey));
    }

    [Fact]
    public void Create_ALongNameOrAShortValidity_IsRefused()
    {
        var time = TimeProvider.System;

        Assert.Throws<ArgumentException>(() => ProviderCertificateAuthority.Create(new string('a', ProviderCertificateAuthority.MaxProviderNameLength + 1), TimeSpan.FromDays(10), time));
        Assert.Throws<ArgumentException>(() => ProviderCertificateAuthority.Create(" ", TimeSpan.FromDays(10), time));
        Assert.Throws<ArgumentException>(() => ProviderCertificateAuthority.Create("Provider", TimeSpan.FromHours(1), time));
        using var longest = ProviderCertificateAuthority.Create(new string('a', ProviderCertificateAuthority.MaxProviderNameLength), TimeSpan.FromDays(10), time);
    }

    [Fact]
    public void IssueNodeCertificate_PassesTheValidatorsC2paProfile_AndChains()
    {
        using var pki = new TestPki();

        Assert.Null(SigningCredentialValidator.ProfileViolation(pki.Leaf));
        Assert.Null(SigningCredentialValidator.ChainBreak(pki.Chain));
    }
}
