using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// The contract may allow several anchorers: a root someone else anchored proves nothing about this
/// ledger's records, so verification accepts a root on chain only from this ledger's anchorer(s).
/// </summary>
[Collection(LedgerChainCollection.Name)]
public sealed class ForeignAnchorerTests(LedgerChainFixture chain) : IDisposable
{
    private readonly SqliteDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    [Fact]
    public async Task VerifyFile_RootAnchoredByAnotherAnchorer_IsNotCheckedOnChainAndNamesThatAnchorer()
    {
        var deployment = await chain.DeployAsync();
        var other = await chain.NewAccountAsync();
        await deployment.Chain.Ledger.SetAnchorerAsync(other.Address, true);
        // The record's batch is anchored by the other account, with a proof that is otherwise perfect.
        var foreign = new VerificationLedger(
            await _databases.NewDatabaseAsync(), LedgerChain.Open(deployment.Chain.Options, other.Key),
            deployment.NodeKey, deployment.ModelHash, deployment.Owner.Address, Array.Empty<WatermarkKey>());
        var picture = TestPictures.Create(21);
        var png = ImageCodec.Encode(picture, ImageFileFormat.Png);
        await foreign.StoreAsync(png, picture);
        await foreign.AnchorPendingAsync();

        var byThisLedger = await foreign.CreateVerifier(deployment.Chain).VerifyFileAsync(png, CancellationToken.None);
        var byTheOther = await foreign.Verifier.VerifyFileAsync(png, CancellationToken.None);

        Assert.True(byThisLedger.Anchoring!.ProofValid);
        Assert.False(byThisLedger.Anchoring.RootCheckedOnChain, byThisLedger.Anchoring.OnChainDetail);
        Assert.Equal(other.Address, byThisLedger.Anchoring.Anchorer);
        Assert.Contains("not by this ledger's anchorer", byThisLedger.Anchoring.OnChainDetail, StringComparison.Ordinal);
        Assert.Equal(ClaimCheckOutcome.Disagrees, byThisLedger.Anchoring.OnChain);
        Assert.True(byTheOther.Anchoring!.RootCheckedOnChain, byTheOther.Anchoring.OnChainDetail);
        Assert.Equal(other.Address, byTheOther.Anchoring.Anchorer);
    }
}
