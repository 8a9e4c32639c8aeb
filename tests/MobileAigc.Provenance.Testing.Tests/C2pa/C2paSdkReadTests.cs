using MobileAigc.Provenance.Testing.C2pa;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>
/// The harness proven on files signed by the C2PA reference implementation: the official SDK run through
/// <see cref="C2paSdk"/> gives the verdicts <c>tests/fixtures/c2pa-rs/README.md</c> records.
/// </summary>
public sealed class C2paSdkReadTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>
{
    private const string Jpeg = "image/jpeg";

    private static byte[] Fixture(string name) => File.ReadAllBytes(RepositoryPaths.Combine("tests", "fixtures", "c2pa-rs", name));

    [Theory]
    [InlineData("C.jpg", "Valid", new[] { "signingCredential.untrusted" })]
    [InlineData("CA.jpg", "Valid", new[] { "signingCredential.untrusted" })]
    [InlineData("E-sig-CA.jpg", "Invalid", new[] { "signingCredential.untrusted", "claimSignature.mismatch" })]
    [InlineData("XCA.jpg", "Invalid", new[] { "signingCredential.untrusted", "assertion.dataHash.mismatch" })]
    public async Task ReadAsync_ReferenceFixture_GivesTheRecordedVerdict(string file, string state, string[] failures)
    {
        var result = await fixture.Sdk.ReadAsync(Fixture(file), Jpeg);

        Assert.Equal(C2paReadOutcome.ManifestStore, result.Outcome);
        Assert.Equal(state, result.ValidationState);
        Assert.Equal(failures.Order(), result.FailureCodes.Order());
        Assert.StartsWith("contentauth:urn:uuid:", result.ActiveManifestLabel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_ValidFixture_ReportsItsMatchesAndAssertions()
    {
        var result = await fixture.Sdk.ReadAsync(Fixture("C.jpg"), Jpeg);

        Assert.Contains("claimSignature.validated", result.SuccessCodes);
        Assert.Contains("assertion.dataHash.match", result.SuccessCodes);
        Assert.Equal("John Doe", result.Assertion("stds.schema-org.CreativeWork")?["author"]?[0]?["name"]?.GetValue<string>());
        Assert.NotNull(result.Assertion("c2pa.actions.v2") ?? result.Assertion("c2pa.actions"));
        Assert.Null(result.Assertion("no.such.assertion"));
    }

    [Fact]
    public async Task ReadAsync_FixtureWithIngredient_ListsItAsParent()
    {
        var result = await fixture.Sdk.ReadAsync(Fixture("CA.jpg"), Jpeg);

        var ingredient = Assert.Single(result.Ingredients);
        Assert.Equal("A.jpg", ingredient["title"]?.GetValue<string>());
        Assert.Equal("parentOf", ingredient["relationship"]?.GetValue<string>());
        // The parent A.jpg carried no credentials of its own: the SDK says so rather than naming a manifest.
        Assert.Null(ingredient["active_manifest"]);
        Assert.Contains(result.Store!["validation_results"]!["ingredientDeltas"]!.AsArray(),
            d => d!["validationDeltas"]!["informational"]!.AsArray().Any(s => s!["code"]!.GetValue<string>() == "ingredient.unknownProvenance"));
    }

    [Fact]
    public async Task ReadAsync_FileWithoutManifest_IsNoManifest()
    {
        var result = await fixture.Sdk.ReadAsync(Fixture("no_manifest.jpg"), Jpeg);

        Assert.Equal(C2paReadOutcome.NoManifest, result.Outcome);
        Assert.Contains("JumbfNotFound", result.Error, StringComparison.Ordinal);
        Assert.Null(result.ValidationState);
        Assert.Empty(result.FailureCodes);
    }

    [Fact]
    public async Task ReadAsync_TruncatedJpeg_IsRejectedAndTheProcessServesOn()
    {
        var truncated = Fixture("C.jpg")[..3000];

        var rejected = await fixture.Sdk.ReadAsync(truncated, Jpeg);
        var next = await fixture.Sdk.ReadAsync(Fixture("C.jpg"), Jpeg);

        Assert.Equal(C2paReadOutcome.Rejected, rejected.Outcome);
        Assert.False(string.IsNullOrEmpty(rejected.Error));
        Assert.Equal("Valid", next.ValidationState);
    }

    [Fact]
    public async Task ReadAsync_CalledFromSeveralThreads_AnswersEachCallerItsOwnFile()
    {
        string[] files = ["C.jpg", "XCA.jpg", "no_manifest.jpg", "E-sig-CA.jpg", "C.jpg", "XCA.jpg"];

        var results = await Task.WhenAll(files.Select(f => Task.Run(() => fixture.Sdk.ReadAsync(Fixture(f), Jpeg))));

        Assert.Equal(["Valid", "Invalid", null, "Invalid", "Valid", "Invalid"], results.Select(r => r.ValidationState));
        Assert.Contains("claimSignature.mismatch", results[3].FailureCodes);
        Assert.Contains("assertion.dataHash.mismatch", results[5].FailureCodes);
    }

    [Fact]
    public async Task ReadAsync_UnsupportedMediaType_ThrowsWithTheHarnessMessage()
    {
        var error = await Assert.ThrowsAsync<C2paSdkException>(() => fixture.Sdk.ReadAsync(Fixture("C.jpg"), "image/gif"));

        Assert.Contains("unsupported media type 'image/gif'", error.Message, StringComparison.Ordinal);
    }
}
