using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// Claims that redact assertions, read by the official SDK and by our validator: an ingredient's assertion
/// redacted as C2PA says (removed and listed) is no failure, removed without being listed it is
/// <c>assertion.missing</c>; a redaction of an assertion still there, of actions, of a claim's own assertion or
/// of a hard binding is a failure of the redacting manifest, with the SDK's code.
/// </summary>
public sealed class RedactedFileTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private const string Work = "stds.schema-org.CreativeWork";
    private static readonly string IngredientAssertions = $"self#jumbf=/c2pa/{TestManifests.IngredientLabel}/c2pa.assertions/";
    private readonly TestSigner _signer = TestSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Theory]
    [InlineData("redacted", true, new string[0])]
    [InlineData("removed", false, new[] { AssertionMissing })]
    [InlineData("still present", true, new string[0])]
    [InlineData("actions", true, new string[0])]
    [InlineData("own", false, new string[0])]
    [InlineData("hard binding", false, new string[0])]
    public async Task Read_Redactions_BothGiveTheSameFailuresToTheManifestAndItsIngredient(string kind, bool redacts, string[] ingredientFailures)
    {
        var (removed, uri) = kind switch
        {
            "redacted" or "removed" => (Work, IngredientAssertions + Work),
            "still present" => (null, IngredientAssertions + Work),
            "actions" => ("c2pa.actions.v2", IngredientAssertions + "c2pa.actions.v2"),
            "own" => (null, $"self#jumbf=/c2pa/{TestManifests.ActiveLabel}/c2pa.assertions/c2pa.actions.v2"),
            _ => (null, $"self#jumbf=/c2pa/{TestManifests.IngredientLabel}/c2pa.assertions/c2pa.hash.data"),
        };
        var redacted = redacts || kind is "own" or "hard binding" ? new[] { uri } : [];

        var both = await BothReaders.ReadAsync(fixture.Sdk, File(removed is null ? null : box => box.Label != removed, redacted), "image/png");

        // The SDK finds our test ingredient assertion malformed (a field of c2pa.ingredient.v3 it wants), so its
        // overall state is Invalid; the active manifest's failures and the ingredient's own are compared.
        Assert.Equal(C2paReadOutcome.ManifestStore, both.Sdk.Outcome);
        Assert.Equal(both.SdkFailureCodes, both.OurFailureCodes);
        var sdkIngredient = both.SdkIngredientStatuses("failure").Select(status => status.Split(' ')[0]).Where(code => code == AssertionMissing);
        var ours = both.Ours.Ingredients.SelectMany(ingredient => ingredient.Result.FailureCodes).Where(code => code == AssertionMissing);
        Assert.Equal(ingredientFailures, sdkIngredient);
        Assert.Equal(ingredientFailures, ours);
    }

    private byte[] File(Func<Credentials.Jumbf.JumbfSuperBox, bool>? keep, string[] redacted) =>
        TestManifests.SignedAsset(TestImages.Png(), _signer, new TestManifests.Options
        {
            WithIngredient = true,
            IngredientAssertions =
            [
                TestManifests.Cbor("c2pa.actions.v2", writer =>
                {
                    writer.WriteStartMap(1);
                    writer.WriteTextString("actions");
                    writer.WriteStartArray(1);
                    writer.WriteStartMap(2);
                    writer.WriteTextString("action");
                    writer.WriteTextString("c2pa.created");
                    writer.WriteTextString("digitalSourceType");
                    writer.WriteTextString("http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture");
                    writer.WriteEndMap();
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
        }).File;
}
