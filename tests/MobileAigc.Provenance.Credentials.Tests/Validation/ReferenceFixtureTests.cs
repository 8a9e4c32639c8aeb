using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

/// <summary>The official SDK's verdicts on the reference implementation's files (tests/fixtures/c2pa-rs/README.md).</summary>
public sealed class ReferenceFixtureTests
{
    private readonly ManifestValidator _validator = new();

    [Theory]
    [InlineData("C.jpg", ValidationState.Valid, new[] { ValidationStatusCodes.SigningCredentialUntrusted })]
    [InlineData("CA.jpg", ValidationState.Valid, new[] { ValidationStatusCodes.SigningCredentialUntrusted })]
    [InlineData("E-sig-CA.jpg", ValidationState.Invalid, new[] { ValidationStatusCodes.SigningCredentialUntrusted, ValidationStatusCodes.ClaimSignatureMismatch })]
    [InlineData("XCA.jpg", ValidationState.Invalid, new[] { ValidationStatusCodes.SigningCredentialUntrusted, ValidationStatusCodes.AssertionDataHashMismatch })]
    public void ValidateFile_ReferenceFile_GivesTheSdkVerdict(string file, ValidationState state, string[] failures)
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs(file));

        Assert.Equal(state, report.State);
        Assert.Equal(failures.Order(), report.ActiveManifest!.FailureCodes.Order());
    }

    [Fact]
    public void ValidateFile_C_ReportsEachPassedCheckWithItsUrl()
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs("C.jpg"));

        var success = report.ActiveManifest!.Success;
        var label = report.Store!.ActiveManifest!.Label;
        Assert.Contains(success, s => s.Code == ValidationStatusCodes.ClaimSignatureValidated && s.Url == $"self#jumbf=/c2pa/{label}/c2pa.signature");
        Assert.Contains(success, s => s.Code == ValidationStatusCodes.AssertionDataHashMatch && s.Url == $"self#jumbf=/c2pa/{label}/c2pa.assertions/c2pa.hash.data");
        Assert.Equal(4, success.Count(s => s.Code == ValidationStatusCodes.AssertionHashedUriMatch));
        Assert.Equal(Credentials.Reading.TimeStampVersion.V1, report.Store.ActiveManifest.Signature!.TimeStamp!.Version);
        Assert.Equal(2, report.Store.ActiveManifest.Signature.Chain.Count);
    }

    [Fact]
    public void ValidateFile_C_VerifiesTheReferenceImplementationsV1TimeStamp()
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs("C.jpg"));

        var stamp = report.ActiveManifest!.TimeStamp!;
        Assert.Equal(new DateTimeOffset(2024, 8, 6, 21, 53, 37, TimeSpan.Zero), stamp.Time);
        Assert.StartsWith("CN=DigiCert Timestamp 2023", stamp.Authority, StringComparison.Ordinal);
        Assert.False(stamp.Trusted);
        Assert.Contains(report.ActiveManifest.Success, status => status.Code == ValidationStatusCodes.TimeStampValidated);
        Assert.Contains(report.ActiveManifest.Informational, status => status.Code == ValidationStatusCodes.TimeStampUntrusted);
    }

    [Fact]
    public void ValidateFile_ESigCA_TheTimeStampDoesNotMatchTheChangedSignatureAsTheSdkSays()
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs("E-sig-CA.jpg"));

        Assert.Contains(report.ActiveManifest!.Informational, status => status.Code == ValidationStatusCodes.TimeStampMismatch);
        Assert.Null(report.ActiveManifest.TimeStamp);
    }

    [Fact]
    public void ValidateFile_CA_ReportsTheIngredientWithoutManifestAsUnknownProvenance()
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs("CA.jpg"));

        var label = report.Store!.ActiveManifest!.Label;
        var status = Assert.Single(report.ActiveManifest!.Informational, status => status.Code != ValidationStatusCodes.TimeStampUntrusted);
        Assert.Equal(ValidationStatusCodes.IngredientUnknownProvenance, status.Code);
        Assert.Equal($"self#jumbf=/c2pa/{label}/c2pa.assertions/c2pa.ingredient", status.Url);
        Assert.Empty(report.Ingredients);
    }

    [Fact]
    public void ValidateFile_NoManifest_HasNoManifestStore()
    {
        var report = _validator.ValidateFile(Fixtures.C2paRs("no_manifest.jpg"));

        Assert.False(report.HasManifestStore);
        Assert.Null(report.State);
    }
}
