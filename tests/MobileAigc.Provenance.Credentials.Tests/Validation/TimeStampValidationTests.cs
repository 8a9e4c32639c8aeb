using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

/// <summary>RFC 3161 time-stamps in claim signatures (<c>sigTst2</c>, <c>sigTst</c>): what verifies, what does not, and the time the signer is judged at.</summary>
public sealed class TimeStampValidationTests : IDisposable
{
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    // The signer's certificate expires a day after signing; the validators below look at the file two years on.
    private readonly TestSigner _signer = TestSigner.Create(leafNotAfter: TimeSpan.FromDays(1));
    private readonly TestTimeStampAuthority _authority = TestTimeStampAuthority.Create();
    private readonly FakeTimeProvider _twoYearsOn = new(DateTimeOffset.UtcNow.AddYears(2));

    public void Dispose()
    {
        _signer.Dispose();
        _authority.Dispose();
    }

    [Fact]
    public void ValidateFile_V2TimeStamp_IsValidatedAndFixesTheSigningTime()
    {
        var report = new ManifestValidator().ValidateFile(Stamped(V2()));

        var result = report.ActiveManifest!;
        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Contains(result.Success, status => status.Code == TimeStampValidated && status.Url!.EndsWith("/c2pa.signature", StringComparison.Ordinal));
        Assert.Contains(result.Informational, status => status.Code == TimeStampUntrusted);
        Assert.Equal(SignedAt, result.TimeStamp!.Time);
        Assert.False(result.TimeStamp.Trusted);
        Assert.Equal(TimeStampVersion.V2, result.TimeStamp.Version);
        Assert.Equal("CN=Test Time-Stamp Authority", result.TimeStamp.Authority);
        Assert.Equal(TimeStampVersion.V2, report.Store!.ActiveManifest!.Signature!.TimeStamp!.Version);
    }

    [Fact]
    public void ValidateFile_V1TimeStampResponseOverTheClaim_IsValidated()
    {
        var report = new ManifestValidator().ValidateFile(Stamped((claim, cose) =>
            TestTimeStampAuthority.WithHeader(cose, "sigTst", TestTimeStampAuthority.Container(_authority.Response(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: false), SignedAt)))));

        Assert.Contains(report.ActiveManifest!.Success, status => status.Code == TimeStampValidated);
        Assert.Equal(TimeStampVersion.V1, report.ActiveManifest.TimeStamp!.Version);
    }

    [Fact]
    public void ValidateFile_SignerExpiredSinceButTrustedTimeStampWhileValid_IsTrusted()
    {
        var report = new ManifestValidator(BothTrusted(), _twoYearsOn).ValidateFile(Stamped(V2()));

        Assert.Equal(ValidationState.Trusted, report.State);
        Assert.Empty(report.ActiveManifest!.FailureCodes);
        Assert.Contains(report.ActiveManifest.Success, status => status.Code == ClaimSignatureInsideValidity);
        Assert.True(report.ActiveManifest.TimeStamp!.Trusted);
    }

    [Fact]
    public void ValidateFile_SignerExpiredSinceAndNoTrustAnchors_TheTimeStampIsNotTrustedAndTheSignerExpired()
    {
        var report = new ManifestValidator(TrustList.Empty, _twoYearsOn).ValidateFile(Stamped(V2()));

        var result = report.ActiveManifest!;
        Assert.Equal(ValidationState.Invalid, report.State);
        Assert.Equal([SigningCredentialExpired, SigningCredentialUntrusted], result.FailureCodes.Order());
        Assert.Contains(result.Success, status => status.Code == TimeStampValidated);
        Assert.Contains(result.Informational, status => status.Code == TimeStampUntrusted);
    }

    [Fact]
    public void ValidateFile_SignerExpiredSinceAndNoTimeStamp_IsSigningCredentialExpired()
    {
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer).File;

        var report = new ManifestValidator(TrustList.Empty, _twoYearsOn).ValidateFile(file);

        Assert.Equal(ValidationState.Invalid, report.State);
        Assert.Contains(SigningCredentialExpired, report.ActiveManifest!.FailureCodes);
        Assert.Null(report.ActiveManifest.TimeStamp);
    }

    [Fact]
    public void ValidateFile_TimeStampAfterTheSignerExpired_IsSigningCredentialExpired()
    {
        var late = DateTimeOffset.UtcNow.AddDays(30);

        var report = new ManifestValidator(BothTrusted(), TimeProvider.System).ValidateFile(Stamped((claim, cose) =>
            TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(_authority.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: true), late)))));

        Assert.Contains(SigningCredentialExpired, report.ActiveManifest!.FailureCodes);
        Assert.Contains(report.ActiveManifest.Informational, status => status.Code == TimeStampOutsideValidity);
    }

    [Fact]
    public void ValidateFile_TimeStampOverOtherBytes_IsMismatchAndItsTimeIsNotUsed()
    {
        var report = new ManifestValidator(BothTrusted(), _twoYearsOn).ValidateFile(Stamped((claim, cose) =>
            TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(_authority.Token("other bytes"u8.ToArray(), SignedAt)))));

        var result = report.ActiveManifest!;
        Assert.Contains(result.Informational, status => status.Code == TimeStampMismatch);
        Assert.DoesNotContain(result.Success, status => status.Code == TimeStampValidated);
        Assert.Contains(SigningCredentialExpired, result.FailureCodes);
        Assert.Null(result.TimeStamp);
    }

    [Fact]
    public void ValidateFile_V1ImprintUnderTheV2Header_IsMismatch()
    {
        var report = new ManifestValidator().ValidateFile(Stamped((claim, cose) =>
            TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(_authority.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: false), SignedAt)))));

        Assert.Contains(report.ActiveManifest!.Informational, status => status.Code == TimeStampMismatch);
    }

    [Theory]
    [InlineData("garbage token")]
    [InlineData("not a container")]
    [InlineData("two tokens")]
    [InlineData("no tokens")]
    [InlineData("token without val")]
    public void ValidateFile_MalformedTimeStamp_IsMalformedAndTheRestStillValidates(string kind)
    {
        var report = new ManifestValidator().ValidateFile(Stamped((claim, cose) =>
        {
            var token = _authority.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: true), SignedAt);
            var container = kind switch
            {
                "garbage token" => TestTimeStampAuthority.Container([.. token.Take(40), .. new byte[token.Length - 40]]),
                "not a container" => [0x82, 0x01, 0x02],
                "two tokens" => TestTimeStampAuthority.Container(token, token),
                "no tokens" => TestTimeStampAuthority.Container(),
                _ => [0xA1, 0x69, .. "tstTokens"u8, 0x81, 0xA1, 0x63, .. "foo"u8, 0x01],
            };
            return TestTimeStampAuthority.WithHeader(cose, "sigTst2", container);
        }));

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Contains(report.ActiveManifest!.Informational, status => status.Code == TimeStampMalformed);
        Assert.Null(report.ActiveManifest.TimeStamp);
    }

    [Fact]
    public void ValidateFile_AuthorityNotOnTheTrustList_IsUntrustedAndItsTimeIsNotUsed()
    {
        var trust = TrustList.Of([_signer.Ca]);

        var report = new ManifestValidator(trust, _twoYearsOn).ValidateFile(Stamped(V2()));

        var result = report.ActiveManifest!;
        Assert.Contains(result.Success, status => status.Code == TimeStampValidated);
        Assert.Contains(result.Informational, status => status.Code == TimeStampUntrusted);
        Assert.Contains(SigningCredentialExpired, result.FailureCodes);
        Assert.False(result.TimeStamp!.Trusted);
    }

    [Fact]
    public void ValidateFile_AuthorityOnTheTimeStampTrustList_IsTrustedAndTheSignerIsJudgedAtItsTime()
    {
        var trust = TrustList.Of([_signer.Ca]).WithTimeStampAnchors([_authority.Ca]);

        var report = new ManifestValidator(trust, _twoYearsOn).ValidateFile(Stamped(V2()));

        var result = report.ActiveManifest!;
        Assert.Equal(ValidationState.Trusted, report.State);
        Assert.Contains(result.Success, status => status.Code == TimeStampTrusted);
        Assert.True(result.TimeStamp!.Trusted);
    }

    [Fact]
    public void ValidateFile_SignerAnchorsOnlyServeAsTimeStampAnchorsByDefault()
    {
        var trust = TrustList.Of([_signer.Ca, _authority.Ca]);

        var report = new ManifestValidator(trust, _twoYearsOn).ValidateFile(Stamped(V2()));

        Assert.Equal(ValidationState.Trusted, report.State);
        Assert.Contains(report.ActiveManifest!.Success, status => status.Code == TimeStampTrusted);
    }

    [Fact]
    public void ValidateFile_TimeStampOutsideTheAuthorityCertificate_IsOutsideValidity()
    {
        using var expired = TestTimeStampAuthority.Create(DateTimeOffset.UtcNow.AddYears(-3), DateTimeOffset.UtcNow.AddYears(-2));

        var report = new ManifestValidator().ValidateFile(Stamped((claim, cose) =>
            TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(expired.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: true), SignedAt)))));

        Assert.Contains(report.ActiveManifest!.Informational, status => status.Code == TimeStampOutsideValidity);
        Assert.Null(report.ActiveManifest.TimeStamp);
    }

    private TrustList BothTrusted() => TrustList.Of([_signer.Ca, _authority.Ca]);

    private Func<byte[], byte[], byte[]> V2() => (claim, cose) =>
        TestTimeStampAuthority.WithHeader(cose, "sigTst2", TestTimeStampAuthority.Container(_authority.Token(TestTimeStampAuthority.ToBeStamped(cose, claim, v2: true), SignedAt)));

    private byte[] Stamped(Func<byte[], byte[], byte[]> stamp) =>
        TestManifests.SignedAsset(TestImages.Png(), _signer, new TestManifests.Options { Sign = claim => stamp(claim, _signer.Sign(claim)) }).File;
}
