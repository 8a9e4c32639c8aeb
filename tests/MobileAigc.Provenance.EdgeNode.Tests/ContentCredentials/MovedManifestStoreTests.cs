using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.EdgeNode.Tests.ContentCredentials;

/// <summary>
/// A manifest store the node signed for one picture, moved onto another picture: the claim signature still holds,
/// but the data hash names the first picture's bytes, so our validator and the official SDK both call it a mismatch.
/// </summary>
public sealed class MovedManifestStoreTests(CredentialedNodeFixture node, C2paSdkFixture sdk)
    : IClassFixture<CredentialedNodeFixture>, IClassFixture<C2paSdkFixture>
{
    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task StoreOfOneGenerationEmbeddedInAnother_BothReaders_ReportTheDataHashMismatch(string format)
    {
        var (original, other, moved) = Move(format, seeds: (31, 32));

        var ours = node.Validator.ValidateFile(moved);
        var read = await sdk.Sdk.ReadAsync(moved, original.MediaType);

        Assert.Equal(ValidationState.Invalid, ours.State);
        var failures = ours.ActiveManifest!.Failure.Select(status => status.Code).ToList();
        Assert.Contains(ValidationStatusCodes.AssertionDataHashMismatch, failures);
        Assert.DoesNotContain(ValidationStatusCodes.AssertionDataHashMatch, ours.ActiveManifest.Success.Select(status => status.Code));
        // Only the binding to the bytes broke: the claim is still the node's, signed as it was.
        Assert.Contains(ValidationStatusCodes.ClaimSignatureValidated, ours.ActiveManifest.Success.Select(status => status.Code));
        Assert.Equal(RecordManifestLabel.For(original.RecordDigest), ours.Store!.ActiveManifest!.Label);
        Assert.NotEqual(original.Record.Record.ContentHash, AssetContainers.AssetHash(moved));
        Assert.Equal(other.Record.Record.ContentHash, AssetContainers.AssetHash(moved));

        Assert.True(read.ValidationState == "Invalid", read.ToString());
        Assert.Contains("assertion.dataHash.mismatch", read.FailureCodes);
        Assert.DoesNotContain("assertion.dataHash.match", read.SuccessCodes);
        Assert.Contains("claimSignature.validated", read.SuccessCodes);
        Assert.Equal(RecordManifestLabel.For(original.RecordDigest), read.ActiveManifestLabel);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    public async Task StoreMovedBackOntoItsOwnPicture_BothReaders_ReportTheDataHashMatchingAgain(string format)
    {
        var (original, _, moved) = Move(format, seeds: (33, 34));

        // The store taken off the moved file and put back on the picture it was signed for.
        var back = AssetContainers.Embed(AssetContainers.Strip(original.File), AssetContainers.Locate(moved)!.ManifestStore).File;

        Assert.Equal(ValidationState.Trusted, node.Validator.ValidateFile(back).State);
        var read = await sdk.Sdk.ReadAsync(back, original.MediaType);
        Assert.True(read.ValidationState == "Valid", read.ToString());
        Assert.Contains("assertion.dataHash.match", read.SuccessCodes);
    }

    // Two generations of the same format; the first one's manifest store replaces the second one's.
    private (GenerateImageResponse Original, GenerateImageResponse Other, byte[] Moved) Move(string format, (ulong First, ulong Second) seeds)
    {
        var original = node.Generate(new GenerateImageRequest("a harbour in the rain", Seed: seeds.First, Format: format));
        var other = node.Generate(new GenerateImageRequest("a forest at dawn", Seed: seeds.Second, Format: format));
        var store = AssetContainers.Locate(original.File)!.ManifestStore;
        Assert.Equal(original.Record.ManifestStore, store.ToArray());

        var moved = AssetContainers.Embed(AssetContainers.Strip(other.File), store).File;

        Assert.Equal(AssetContainers.Detect(original.File), AssetContainers.Detect(moved));
        Assert.Equal(store.ToArray(), AssetContainers.Locate(moved)!.ManifestStore.ToArray());
        return (original, other, moved);
    }
}
