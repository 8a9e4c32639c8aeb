using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// Files whose claim signatures carry RFC 3161 time-stamps from a test authority, read by the official SDK and by
/// our validator with one verdict. The SDK's <c>timeStamp.validated</c> on them shows that the imprint we check is
/// the one C2PA's reference implementation computes, for v1 and v2; the expired signer shows the time each judges
/// it at (a trusted time-stamp's, else the clock's).
/// </summary>
public sealed class TimeStampedFileTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private const string Png = "image/png";

    // The expired signer signed 100 days ago, while its certificate (400 to 30 days ago) was valid.
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddDays(-100).ToUnixTimeSeconds());

    private readonly TestSigner _expired = TestSigner.Create(leafNotBefore: TimeSpan.FromDays(-400), leafNotAfter: TimeSpan.FromDays(-30));
    private readonly TestSigner _current = TestSigner.Create();
    private readonly TestTimeStampAuthority _authority = TestTimeStampAuthority.Create();

    private C2paSdk Sdk => fixture.Sdk;

    public void Dispose()
    {
        _expired.Dispose();
        _current.Dispose();
        _authority.Dispose();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Read_CurrentSignerTimeStamped_BothValidateTheTimeStampAndAgree(bool v2)
    {
        var both = await BothReaders.ReadAsync(Sdk, Stamped(_current, v2, DateTimeOffset.UtcNow.AddMinutes(-5)), Png);

        Assert.Equal([SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.Contains(TimeStampValidated, both.Sdk.SuccessCodes);
        Assert.Contains(both.Ours.ActiveManifest!.Success, status => status.Code == TimeStampValidated);
    }

    [Fact]
    public async Task Read_ExpiredSignerWithATrustedTimeStampFromWhenItWasValid_BothTrusted()
    {
        var anchors = _expired.Ca.ExportCertificatePem() + "\n" + _authority.Ca.ExportCertificatePem();

        var both = await BothReaders.ReadAsync(Sdk, Stamped(_expired, v2: true, SignedAt), Png, anchors);

        Assert.Empty(both.AssertSameVerdict());
        Assert.Equal("Trusted", both.Sdk.ValidationState);
        Assert.Contains(TimeStampTrusted, both.Sdk.SuccessCodes);
        Assert.Equal(SignedAt, both.Ours.ActiveManifest!.TimeStamp!.Time);
    }

    [Theory]
    [InlineData("no trust list")]
    [InlineData("the signer's CA only")]
    public async Task Read_ExpiredSignerWithAnUntrustedTimeStamp_BothJudgeItNowAndFindItExpired(string trust)
    {
        var anchors = trust == "no trust list" ? null : _expired.Ca.ExportCertificatePem();

        var both = await BothReaders.ReadAsync(Sdk, Stamped(_expired, v2: true, SignedAt), Png, anchors);

        Assert.Equal([SigningCredentialExpired, SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.Contains(both.Sdk.Informational, status => status.Code == TimeStampUntrusted);
        Assert.Contains(both.Ours.ActiveManifest!.Informational, status => status.Code == TimeStampUntrusted);
    }

    [Fact]
    public async Task Read_ExpiredSignerWithoutTimeStamp_BothFindItExpired()
    {
        var both = await BothReaders.ReadAsync(Sdk, TestManifests.SignedAsset(TestImages.Png(), _expired).File, Png);

        Assert.Equal([SigningCredentialExpired, SigningCredentialUntrusted], both.AssertSameVerdict());
    }

    [Fact]
    public async Task Read_TimeStampOverOtherBytes_BothReportTheMismatchAndIgnoreItsTime()
    {
        var anchors = _expired.Ca.ExportCertificatePem() + "\n" + _authority.Ca.ExportCertificatePem();
        var file = TestManifests.SignedAsset(TestImages.Png(), _expired, new TestManifests.Options
        {
            Sign = claim => TestTimeStampAuthority.WithHeader(_expired.Sign(claim), "sigTst2", TestTimeStampAuthority.Container(_authority.Token("other bytes"u8.ToArray(), SignedAt))),
        }).File;

        var both = await BothReaders.ReadAsync(Sdk, file, Png, anchors);

        Assert.Contains(SigningCredentialExpired, both.AssertSameVerdict());
        Assert.Contains(both.Sdk.Informational, status => status.Code == TimeStampMismatch);
        Assert.Contains(both.Ours.ActiveManifest!.Informational, status => status.Code == TimeStampMismatch);
    }

    [Fact]
    public async Task Read_GarbageToken_BothStillValidateTheRest()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _current, new TestManifests.Options
        {
            Sign = claim => TestTimeStampAuthority.WithHeader(_current.Sign(claim), "sigTst2", TestTimeStampAuthority.Container(new byte[600])),
        }).File;

        var both = await BothReaders.ReadAsync(Sdk, file, Png);

        Assert.Equal([SigningCredentialUntrusted], both.AssertSameVerdict());
        Assert.Contains(both.Ours.ActiveManifest!.Informational, status => status.Code == TimeStampMalformed);
    }

    [Fact]
    public async Task Read_ReferenceFileWithAChangedSignature_BothReportTheTimeStampMismatch()
    {
        var both = await BothReaders.ReadAsync(Sdk, Fixtures.C2paRs("E-sig-CA.jpg"), "image/jpeg");

        both.AssertSameVerdict();
        Assert.Contains(both.Sdk.Informational, status => status.Code == TimeStampMismatch);
        Assert.Contains(both.Ours.ActiveManifest!.Informational, status => status.Code == TimeStampMismatch);
    }

    private byte[] Stamped(TestSigner signer, bool v2, DateTimeOffset at) =>
        TestManifests.SignedAsset(TestImages.Png(), signer, new TestManifests.Options
        {
            Sign = claim =>
            {
                var cose = signer.Sign(claim);
                var stamped = TestTimeStampAuthority.ToBeStamped(cose, claim, v2);
                var token = v2 ? _authority.Token(stamped, at) : _authority.Response(stamped, at);
                return TestTimeStampAuthority.WithHeader(cose, v2 ? "sigTst2" : "sigTst", TestTimeStampAuthority.Container(token));
            },
        }).File;
}
