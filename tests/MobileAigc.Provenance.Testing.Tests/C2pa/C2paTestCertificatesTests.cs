using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>The one test chain builder does what its options say: windows, key usages and chain length.</summary>
public sealed class C2paTestCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CreateChain_Defaults_AreTheOneDayRootAndLeafCreateHasAlwaysMade()
    {
        using var chain = C2paTestCertificates.CreateChain(new C2paTestChainOptions { Time = new FixedTime(Now) });

        Assert.Equal((Now.AddHours(-1), Now.AddDays(1)), Window(chain.Leaf));
        Assert.Equal((Now.AddHours(-1), Now.AddHours(25)), Window(chain.Ca));
        Assert.Empty(chain.Intermediates);
        Assert.Equal([chain.Leaf, chain.Ca], chain.Chain);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, chain.Leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Equal(C2paTestChainOptions.EmailProtection, chain.Leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages[0].Value);
        Assert.Equal(0, chain.Ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().PathLengthConstraint);
    }

    [Fact]
    public void CreateChain_TwoIntermediates_ChainsLeafToRootThroughThemInOrder()
    {
        using var chain = C2paTestCertificates.CreateChain(new C2paTestChainOptions { Intermediates = 2 });

        Assert.Equal(4, chain.Chain.Count);
        Assert.Equal(chain.Intermediates[1].SubjectName.Name, chain.Leaf.IssuerName.Name);
        Assert.Equal(chain.Intermediates[0].SubjectName.Name, chain.Intermediates[1].IssuerName.Name);
        Assert.Equal(chain.Ca.SubjectName.Name, chain.Intermediates[0].IssuerName.Name);
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.Add(chain.Ca);
        builder.ChainPolicy.ExtraStore.AddRange(chain.Intermediates.ToArray());
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(builder.Build(chain.Leaf), string.Join("; ", builder.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(4, builder.ChainElements.Count);
    }

    [Fact]
    public void CreateChain_OtherWindowsAndUsages_AreAsAsked_AndAnEmptyEkuListLeavesTheExtensionOut()
    {
        using var chain = C2paTestCertificates.CreateChain(new C2paTestChainOptions
        {
            Time = new FixedTime(Now),
            CaNotBefore = TimeSpan.FromDays(-2),
            CaNotAfter = TimeSpan.FromDays(30),
            LeafNotBefore = TimeSpan.FromDays(-3),
            LeafNotAfter = TimeSpan.FromDays(-1),
            LeafKeyUsage = X509KeyUsageFlags.KeyEncipherment,
            LeafExtendedKeyUsages = [],
        });

        Assert.Equal((Now.AddDays(-3), Now.AddDays(-1)), Window(chain.Leaf));
        Assert.Equal((Now.AddDays(-2), Now.AddDays(30)), Window(chain.Ca));
        Assert.Equal(X509KeyUsageFlags.KeyEncipherment, chain.Leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        Assert.Empty(chain.Leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>());
    }

    [Fact]
    public void CreateChain_BadOptions_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => C2paTestCertificates.CreateChain(new C2paTestChainOptions { Intermediates = 5 }));
        Assert.Throws<ArgumentException>(() => C2paTestCertificates.CreateChain(new C2paTestChainOptions { LeafNotAfter = TimeSpan.FromHours(-2) }));
    }

    [Fact]
    public void Create_Pem_HoldsTheLeafThenTheCa_AndTheCaAsTrustAnchor()
    {
        var credentials = C2paTestCertificates.Create("pem");

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(credentials.ChainPem);
        Assert.Equal(2, certificates.Count);
        Assert.Contains("pem C2PA signer", certificates[0].Subject, StringComparison.Ordinal);
        Assert.Equal(certificates[1].RawData, X509Certificate2.CreateFromPem(credentials.TrustAnchorPem).RawData);
    }

    private static (DateTimeOffset NotBefore, DateTimeOffset NotAfter) Window(X509Certificate2 certificate) =>
        (new DateTimeOffset(certificate.NotBefore.ToUniversalTime()), new DateTimeOffset(certificate.NotAfter.ToUniversalTime()));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
