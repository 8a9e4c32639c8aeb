using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.Credentials.Tests.Certificates;

public sealed class SigningChainCheckerTests
{
    [Fact]
    public void Check_AnIssuedNodeChain_HasNoFault_WithOrWithoutTheRootInTheChain()
    {
        using var pki = new TestPki();

        Assert.Empty(SigningChainChecker.Check(pki.Chain, pki.Authority.Certificate, pki.Time.GetUtcNow()));
        Assert.Empty(SigningChainChecker.Check([pki.Leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_AHandMadeGoodLeaf_HasNoFault()
    {
        using var pki = new TestPki();
        using var leaf = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request, purposes: C2paKeyPurposes.DocumentSigning));

        Assert.Empty(SigningChainChecker.Check([leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_AnyExtendedKeyUsage_IsRefused()
    {
        using var pki = new TestPki();
        using var leaf = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request, true, C2paKeyPurposes.EmailProtection, C2paKeyPurposes.AnyExtendedKeyUsage));

        AssertOnlyFault("leaf.anyExtendedKeyUsage", SigningChainChecker.Check([leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_NoAcceptedExtendedKeyUsage_IsRefused()
    {
        using var pki = new TestPki();
        using var serverAuth = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request, true, "1.3.6.1.5.5.7.3.1"));
        using var none = pki.HandMadeLeaf(request => request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true)));

        AssertOnlyFault("leaf.extendedKeyUsage", SigningChainChecker.Check([serverAuth], pki.Authority.Certificate, pki.Time.GetUtcNow()));
        AssertOnlyFault("leaf.extendedKeyUsage", SigningChainChecker.Check([none], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_NoDigitalSignature_IsRefused()
    {
        using var pki = new TestPki();
        using var leaf = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request, digitalSignature: false));

        AssertOnlyFault("leaf.keyUsage", SigningChainChecker.Check([leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_ACaLeaf_IsRefused()
    {
        using var pki = new TestPki();
        using var leaf = pki.HandMadeLeaf(request =>
        {
            TestPki.GoodLeafExtensions(request);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        });

        AssertOnlyFault("leaf.ca", SigningChainChecker.Check([leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_AnRsaOrP384Key_IsRefused()
    {
        using var pki = new TestPki();
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsaLeaf = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request), rsa);
        using var p384Leaf = pki.HandMadeLeaf(request => TestPki.GoodLeafExtensions(request), p384);

        var fault = AssertOnlyFault("leaf.key", SigningChainChecker.Check([rsaLeaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
        Assert.Contains("RSA", fault.Message, StringComparison.Ordinal);
        AssertOnlyFault("leaf.key", SigningChainChecker.Check([p384Leaf], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_AfterTheLeafExpires_OrBeforeItsStart_IsRefused()
    {
        using var pki = new TestPki();

        AssertOnlyFault("validity", SigningChainChecker.Check(pki.Chain, pki.Authority.Certificate, pki.Time.GetUtcNow().AddDays(366)));
        var early = SigningChainChecker.Check(pki.Chain, pki.Authority.Certificate, pki.Time.GetUtcNow().AddHours(-1));
        Assert.Equal(2, early.Count); // neither the leaf nor its CA has started
        Assert.All(early, fault => Assert.Equal("validity", fault.Code));
    }

    [Fact]
    public void Check_AnotherRoot_IsRefusedAsNotChaining()
    {
        using var pki = new TestPki();
        using var other = new TestPki(providerName: "Another Provider");

        AssertOnlyFault("issuer", SigningChainChecker.Check([pki.Leaf], other.Authority.Certificate, pki.Time.GetUtcNow()));
        Assert.Contains(SigningChainChecker.Check(pki.Chain, other.Authority.Certificate, pki.Time.GetUtcNow()), f => f.Code == "issuer");
    }

    [Fact]
    public void Check_ARootOfTheSameNameWithAnotherKey_IsRefusedOnTheSignature()
    {
        using var pki = new TestPki();
        using var impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(pki.Authority.Certificate.SubjectName, impostorKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        using var impostor = request.CreateSelfSigned(pki.Time.GetUtcNow().AddDays(-1), pki.Time.GetUtcNow().AddDays(30));

        AssertOnlyFault("signature", SigningChainChecker.Check([pki.Leaf], impostor, pki.Time.GetUtcNow()));
    }

    [Fact]
    public void Check_AnIntermediateUnderAPathLengthZeroRoot_IsRefused_UnderAPathLengthOneRoot_Passes()
    {
        using var pki = new TestPki();
        var now = pki.Time.GetUtcNow();
        foreach (var (rootPathLength, expectFault) in new[] { (0, true), (1, false) })
        {
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootRequest = new CertificateRequest("CN=root " + rootPathLength, rootKey, HashAlgorithmName.SHA256);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, rootPathLength, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
            using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var intermediateRequest = new CertificateRequest("CN=intermediate", intermediateKey, HashAlgorithmName.SHA256);
            intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            using var intermediate = intermediateRequest.Create(root.SubjectName, X509SignatureGenerator.CreateForECDsa(rootKey), now.AddDays(-1), now.AddDays(20), [1, 2, 3]);
            var leafRequest = new CertificateRequest("CN=leaf", pki.SigningKey, HashAlgorithmName.SHA256);
            TestPki.GoodLeafExtensions(leafRequest);
            using var leaf = leafRequest.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), now.AddDays(-1), now.AddDays(10), [4, 5, 6]);

            var faults = SigningChainChecker.Check([leaf, intermediate], root, now);

            if (expectFault)
            {
                AssertOnlyFault("issuer.pathLength", faults);
            }
            else
            {
                Assert.Empty(faults);
            }
        }
    }

    [Fact]
    public void Check_AnEmptyChain_IsRefused()
    {
        using var pki = new TestPki();

        AssertOnlyFault("chain.empty", SigningChainChecker.Check([], pki.Authority.Certificate, pki.Time.GetUtcNow()));
    }

    private static SigningChainFault AssertOnlyFault(string code, IReadOnlyList<SigningChainFault> faults)
    {
        var fault = Assert.Single(faults);
        Assert.Equal(code, fault.Code);
        Assert.False(string.IsNullOrWhiteSpace(fault.Message));
        return fault;
    }
}
