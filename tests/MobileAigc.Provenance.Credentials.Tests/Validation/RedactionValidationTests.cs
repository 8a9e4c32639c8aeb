using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Credentials.Validation;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Validation;

/// <summary><c>redacted_assertions</c>: what a claim may redact, and the ingredient whose assertion was redacted.</summary>
public sealed class RedactionValidationTests : IDisposable
{
    private const string Work = "stds.schema-org.CreativeWork";
    private static readonly string IngredientAssertions = $"self#jumbf=/c2pa/{TestManifests.IngredientLabel}/c2pa.assertions/";

    private readonly TestSigner _signer = TestSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public void ValidateFile_IngredientAssertionRedacted_NeitherManifestFailsForIt()
    {
        var report = Validate(keep: box => box.Label != Work, redacted: [IngredientAssertions + Work]);

        Assert.Equal(ValidationState.Valid, report.State);
        Assert.Equal([SigningCredentialUntrusted], report.ActiveManifest!.FailureCodes);
        var ingredient = Assert.Single(report.Ingredients);
        Assert.DoesNotContain(AssertionMissing, ingredient.Result.FailureCodes);
        Assert.Equal(ValidationState.Valid, ingredient.Result.State);
    }

    [Fact]
    public void ValidateFile_IngredientAssertionRemovedWithoutRedaction_IsMissingInTheIngredient()
    {
        var report = Validate(keep: box => box.Label != Work, redacted: []);

        Assert.Contains(AssertionMissing, Assert.Single(report.Ingredients).Result.FailureCodes);
    }

    [Fact]
    public void ValidateFile_RedactedAssertionStillPresent_IsNotRedacted()
    {
        var report = Validate(keep: null, redacted: [IngredientAssertions + Work]);

        Assert.Contains(AssertionNotRedacted, report.ActiveManifest!.FailureCodes);
    }

    [Fact]
    public void ValidateFile_RedactingTheIngredientsActions_IsActionRedacted()
    {
        var report = Validate(keep: box => box.Label != "c2pa.actions.v2", redacted: [IngredientAssertions + "c2pa.actions.v2"]);

        Assert.Contains(AssertionActionRedacted, report.ActiveManifest!.FailureCodes);
    }

    [Theory]
    [InlineData("self#jumbf=c2pa.assertions/" + Work)]
    [InlineData("self#jumbf=/c2pa/" + TestManifests.ActiveLabel + "/c2pa.assertions/" + Work)]
    public void ValidateFile_RedactingItsOwnAssertion_IsSelfRedacted(string uri)
    {
        var report = Validate(keep: null, redacted: [uri]);

        Assert.Contains(AssertionSelfRedacted, report.ActiveManifest!.FailureCodes);
    }

    [Theory]
    [InlineData("self#jumbf=c2pa.assertions/c2pa.hash.data")]
    [InlineData("self#jumbf=/c2pa/" + TestManifests.IngredientLabel + "/c2pa.assertions/c2pa.hash.data")]
    public void ValidateFile_RedactingAHardBinding_IsHardBindingRedacted(string uri)
    {
        var report = Validate(keep: null, redacted: [uri]);

        Assert.Contains(AssertionHardBindingRedacted, report.ActiveManifest!.FailureCodes);
    }

    private ValidationReport Validate(Func<Credentials.Jumbf.JumbfSuperBox, bool>? keep, string[] redacted)
    {
        var options = new TestManifests.Options
        {
            WithIngredient = true,
            IngredientAssertions =
            [
                TestManifests.Cbor("c2pa.actions.v2", writer =>
                {
                    writer.WriteStartMap(1);
                    writer.WriteTextString("actions");
                    writer.WriteStartArray(0);
                    writer.WriteEndArray();
                    writer.WriteEndMap();
                }),
                TestManifests.Cbor(Work, writer =>
                {
                    writer.WriteStartMap(1);
                    writer.WriteTextString("author");
                    writer.WriteTextString("someone to redact");
                    writer.WriteEndMap();
                }),
            ],
            IngredientKeeps = keep,
            Redacted = redacted,
        };
        return new ManifestValidator().ValidateFile(TestManifests.SignedAsset(TestImages.Png(), _signer, options).File);
    }
}
