using MobileAigc.Provenance.Credentials.Tests.Support;
using MobileAigc.Provenance.Testing.C2pa;
using static MobileAigc.Provenance.Credentials.Validation.ValidationStatusCodes;

namespace MobileAigc.Provenance.Credentials.Tests.Interop;

/// <summary>
/// An assertion in the store that the claim does not list: not covered by the signature, so not part of the
/// manifest. The SDK (0.13.3) refuses such a store outright (an <c>AssertionMissing</c> error naming it); we
/// report it as C2PA names it, <c>assertion.undeclared</c>, and the manifest is Invalid.
/// </summary>
public sealed class UndeclaredAssertionTests(C2paSdkFixture fixture) : IClassFixture<C2paSdkFixture>, IDisposable
{
    private readonly TestSigner _signer = TestSigner.Create();

    public void Dispose() => _signer.Dispose();

    [Fact]
    public async Task Read_AssertionTheClaimDoesNotList_TheSdkRefusesItAndWeReportItUndeclared()
    {
        var extra = TestManifests.Cbor("c2pa.actions.v2__1", writer =>
        {
            writer.WriteStartMap(1);
            writer.WriteTextString("actions");
            writer.WriteStartArray(0);
            writer.WriteEndArray();
            writer.WriteEndMap();
        });
        var file = TestManifests.SignedAsset(TestImages.Png(), _signer, new TestManifests.Options { UndeclaredAssertion = extra }).File;

        var both = await BothReaders.ReadAsync(fixture.Sdk, file, "image/png");

        Assert.Equal(C2paReadOutcome.Rejected, both.Sdk.Outcome);
        Assert.Contains("c2pa.actions.v2__1", both.Sdk.Error, StringComparison.Ordinal);
        Assert.Equal(Credentials.Validation.ValidationState.Invalid, both.Ours.State);
        var status = Assert.Single(both.Ours.ActiveManifest!.Failure, status => status.Code == AssertionUndeclared);
        Assert.EndsWith("/c2pa.assertions/c2pa.actions.v2__1", status.Url, StringComparison.Ordinal);
    }
}
