using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Credentials.Reading;
using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Credentials.Tests.Building;

/// <summary>Files written by the builder, checked by this project's own reader and validator.</summary>
public sealed class ManifestBuilderValidatorTests : IDisposable
{
    private readonly C2paTestChain _certificates = TestChains.ClaimSigner();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("png", 0)]
    [InlineData("jpeg", 0)]
    [InlineData("jpeg", 150_000)]
    public void Build_ValidatedByTheProjectsValidator_IsValidWithSignatureDataHashAndEveryHashedUriMatching(string format, int thumbnailBytes)
    {
        var request = ManifestBuilderFixture.Request(
            ManifestBuilderFixture.Asset(format), thumbnail: thumbnailBytes == 0 ? null : RandomNumberGenerator.GetBytes(thumbnailBytes));

        var signed = Builder().Build(request);
        var report = Validator().ValidateFile(signed.File);

        var active = report.ActiveManifest!;
        Assert.Equal(ValidationState.Valid, active.State);
        Assert.Equal([ValidationStatusCodes.SigningCredentialUntrusted], active.FailureCodes);
        var successes = active.Success.Select(status => status.Code).ToList();
        Assert.Contains(ValidationStatusCodes.ClaimSignatureValidated, successes);
        Assert.Contains(ValidationStatusCodes.AssertionDataHashMatch, successes);
        Assert.Equal(7, successes.Count(code => code == ValidationStatusCodes.AssertionHashedUriMatch));
        Assert.Equal(signed.ManifestLabel, active.ManifestLabel);
    }

    [Fact]
    public void Build_ValidatedWithTheProviderCaAsAnchor_IsTrusted()
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset("png")));

        var report = new ManifestValidator(TrustList.Of([_certificates.Ca]), TimeProvider.System).ValidateFile(signed.File);

        Assert.Equal(ValidationState.Trusted, report.State);
    }

    [Fact]
    public void Build_ReadByTheProjectsReader_HasTheAssertionsAsWritten()
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset("jpeg")));

        var manifest = ManifestStoreReader.ReadFile(signed.File)!.ActiveManifest!;

        Assert.Equal(2, manifest.Claim!.Version);
        Assert.StartsWith("xmp:iid:", manifest.Claim.InstanceId, StringComparison.Ordinal);
        var created = manifest.FindAssertion(AssertionLabels.Actions)!.Content!["actions"]![0]!;
        Assert.Equal("c2pa.created", created["action"]!.GetValue<string>());
        Assert.Equal(ManifestBuilderFixture.Model.Name, created["softwareAgent"]!["name"]!.GetValue<string>());
        Assert.Equal(
            ["org.mobileaigc.watermark.image.1", "org.mobileaigc.phash.1", "org.mobileaigc.pdq.1"],
            manifest.Assertions.Where(a => a.BaseLabel == AssertionLabels.SoftBinding).Select(a => a.Content!["alg"]!.GetValue<string>()));
        Assert.Equal("image/png", manifest.FindAssertion("c2pa.thumbnail.claim.png")!.File!.MediaType);
    }

    [Fact]
    public void Build_ParentValidatedByTheProjectsValidator_IsAnIngredientWhoseManifestValidates()
    {
        var parent = Builder().Build(ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 20), withRecord: false));
        var parentReport = Validator().ValidateFile(parent.File);
        var request = ManifestBuilderFixture.Request(SamplePngs.Png(8, 8, seed: 21)) with
        {
            Parent = new ParentIngredient("input.png", "image/png", parent.ManifestStore, IngredientValidationResults.From(parentReport.ActiveManifest!)),
        };

        var report = Validator().ValidateFile(Builder().Build(request).File);

        Assert.Equal(ValidationState.Valid, report.State);
        var ingredient = Assert.Single(report.Ingredients);
        Assert.Equal(parent.ManifestLabel, ingredient.ManifestLabel);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public void Build_OneByteChangedOutsideTheStore_IsADataHashMismatchForTheProjectsValidator(string format)
    {
        var signed = Builder().Build(ManifestBuilderFixture.Request(ManifestBuilderFixture.Asset(format)));
        var tampered = signed.File.ToArray();
        tampered[signed.ExclusionStart + signed.ExclusionLength + 20] ^= 0x01;

        var report = Validator().ValidateFile(tampered);

        Assert.Contains(ValidationStatusCodes.AssertionDataHashMismatch, report.ActiveManifest!.FailureCodes);
    }

    // The test certificates are valid around the real clock, so the validator reads that one.
    private static ManifestValidator Validator() => new(TrustList.Empty, TimeProvider.System);

    private ManifestBuilder Builder() => new(_certificates.Signer(), ManifestLimits.Default, _time);

    public void Dispose() => _certificates.Dispose();
}
