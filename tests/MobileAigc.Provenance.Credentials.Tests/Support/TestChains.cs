using MobileAigc.Provenance.Credentials.Signing;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Support;

/// <summary>The chains these tests sign with, all built by <see cref="C2paTestCertificates.CreateChain"/>.</summary>
internal static class TestChains
{
    /// <summary>About five years: the root's validity in the builder and signing tests.</summary>
    public static readonly TimeSpan FiveYears = TimeSpan.FromDays(5 * 365 + 1);

    /// <summary>About a year: the leaf's validity in the builder and signing tests.</summary>
    public static readonly TimeSpan OneYear = TimeSpan.FromDays(365);

    /// <summary>
    /// The claim signer the builder and signing tests use: a root valid from a day ago for about five years and a leaf
    /// (<c>digitalSignature</c>, <c>emailProtection</c>) from an hour ago for about a year, so that no test run meets an expiry.
    /// </summary>
    public static C2paTestChain ClaimSigner(string name = "Test node") => C2paTestCertificates.CreateChain(new C2paTestChainOptions
    {
        Name = name,
        CaNotBefore = TimeSpan.FromDays(-1),
        CaNotAfter = FiveYears,
        LeafNotBefore = TimeSpan.FromHours(-1),
        LeafNotAfter = OneYear,
    });

    /// <summary>Signs with the chain's leaf key, sending the leaf, the intermediates and the root.</summary>
    public static ICredentialSigner Signer(this C2paTestChain chain) => new EcdsaCredentialSigner(chain.LeafKey, chain.Chain);
}
