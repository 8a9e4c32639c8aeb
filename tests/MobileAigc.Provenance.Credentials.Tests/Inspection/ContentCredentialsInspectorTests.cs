using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Inspection;
using MobileAigc.Provenance.Credentials.Tests.Building;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Inspection;

/// <summary>The record a file's credentials name, as the inspector words it for <c>api/verify</c> and <c>credentials show</c>.</summary>
public sealed class ContentCredentialsInspectorTests : IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Inspect_RecordWithoutLedgerUrl_NamesTheRecordWithoutAProblem(string format)
    {
        var asset = ManifestBuilderFixture.Asset(format);
        var record = ManifestBuilderFixture.Record(asset) with { LedgerUrl = null };

        var report = Inspect(asset, record);

        Assert.True(report.State == CredentialsValidationState.Trusted, string.Join(", ", report.Failure.Select(status => status.Code + ": " + status.Explanation)));
        var claim = report.Record!;
        Assert.Equal((record.RecordDigest, record.NodeAddress, (string?)null), (claim.RecordDigest, claim.NodeAddress, claim.LedgerUrl));
        Assert.Empty(claim.Problems);
    }

    [Fact]
    public void Inspect_RecordWithLedgerUrl_NamesItAsWritten()
    {
        var asset = ManifestBuilderFixture.Asset("png");
        var record = ManifestBuilderFixture.Record(asset);

        var report = Inspect(asset, record);

        Assert.Equal("https://ledger.example/", report.Record!.LedgerUrl);
        Assert.Empty(report.Record.Problems);
    }

    private ContentCredentialsReport Inspect(byte[] asset, RecordReference record)
    {
        var file = new ManifestBuilder(_certificates.Signer(), ManifestLimits.Default, TimeProvider.System)
            .Build(ManifestBuilderFixture.Request(asset) with { Record = record }).File;
        var inspector = new ContentCredentialsInspector(new ManifestValidator(TrustList.Of([_certificates.Ca]), TimeProvider.System), registryDomain: null);
        return inspector.Inspect(file);
    }

    public void Dispose() => _certificates.Dispose();
}
