using System.Security.Cryptography.X509Certificates;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// What <see cref="C2paTestCertificates.CreateChain"/> builds: the names, each certificate's validity window (offsets from the
/// clock's now), the leaf's key usage and extended key usages, and how many intermediate CAs stand between root and leaf.
/// The defaults are <see cref="C2paTestCertificates.Create"/>'s: a root and a leaf valid for a day, the leaf with
/// <c>digitalSignature</c> and <c>emailProtection</c>, which C2PA validators accept.
/// </summary>
public sealed record C2paTestChainOptions
{
    /// <summary>The <c>emailProtection</c> extended key usage, one C2PA validators accept for claim signers.</summary>
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";

    /// <summary>The most intermediate CAs a chain may have: 4.</summary>
    public const int MaxIntermediates = 4;

    /// <summary>Put in every subject, e.g. the test's name. Default: <c>MobileAigc test</c>.</summary>
    public string Name { get; init; } = "MobileAigc test";

    /// <summary>The clock the windows start from. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The root's (and each intermediate's) notBefore, from now. Default: an hour ago.</summary>
    public TimeSpan CaNotBefore { get; init; } = TimeSpan.FromHours(-1);

    /// <summary>The root's (and each intermediate's) notAfter, from now. Default: in 25 hours.</summary>
    public TimeSpan CaNotAfter { get; init; } = TimeSpan.FromHours(25);

    /// <summary>The leaf's notBefore, from now. Default: an hour ago (for clock skew).</summary>
    public TimeSpan LeafNotBefore { get; init; } = TimeSpan.FromHours(-1);

    /// <summary>The leaf's notAfter, from now. Default: in one day.</summary>
    public TimeSpan LeafNotAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The leaf's key usage (critical). Default: <c>digitalSignature</c>.</summary>
    public X509KeyUsageFlags LeafKeyUsage { get; init; } = X509KeyUsageFlags.DigitalSignature;

    /// <summary>The leaf's extended key usages (OIDs); empty leaves the extension out. Default: <see cref="EmailProtection"/>.</summary>
    public IReadOnlyList<string> LeafExtendedKeyUsages { get; init; } = [EmailProtection];

    /// <summary>How many intermediate CAs the root issues in a line before the leaf, 0 to <see cref="MaxIntermediates"/>. Default: 0.</summary>
    public int Intermediates { get; init; }
}
