using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.Extensions.Time.Testing;

namespace MobileAigc.Provenance.EdgeNode.Tests.ContentCredentials;

/// <summary>A node signing with a provider's certificate that expires while it runs: it stops signing, before anything is generated or charged.</summary>
public sealed class ExpiredProviderCertificateTests : IDisposable
{
    private const string Passphrase = "a long enough passphrase";
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task ValidateImageRequest_ProvidersCertificateExpiredWhileRunning_RefusesBeforeGenerating_AndStoresNothing()
    {
        var options = await ProviderSignedNodeOptionsAsync(TimeSpan.FromDays(10));
        using var node = await EdgeNodeRuntime.OpenAsync(options, _time);
        var request = new GenerateImageRequest("a lighthouse", Width: 256, Height: 256);
        node.Generator.ValidateImageRequest(request);
        var served = node.Generator.GenerateImage(request, CreatorClaim.Anonymous);
        Assert.NotEmpty(served.File);

        _time.Advance(TimeSpan.FromDays(11));

        var refused = Assert.Throws<C2paSigningUnavailableException>(() => node.Generator.ValidateImageRequest(request));
        Assert.Contains("does not renew it", refused.Message, StringComparison.Ordinal);
        Assert.Throws<C2paSigningUnavailableException>(() => node.Generator.GenerateImage(request, CreatorClaim.Anonymous));
        Assert.Equal(1, node.Outbox.Count().Pending);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Options of a node whose C2PA certificate, valid for <paramref name="validity"/>, a provider's CA issued for its node key.</summary>
    private async Task<EdgeNodeOptions> ProviderSignedNodeOptionsAsync(TimeSpan validity)
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), Passphrase + "\n");
        var options = new EdgeNodeOptions
        {
            DataDirectory = _dir.Path,
            PassphraseFile = _dir.File("passphrase"),
            CreateKeystoreIfMissing = true,
            ModelsDirectory = RepositoryPaths.Models,
            ProvenanceLedger = EdgeNodeHost.LedgerContract,
        };
        // The first start makes the node key the provider certifies.
        using (await EdgeNodeRuntime.OpenAsync(options, _time))
        {
        }

        var nodeKey = await NodeKeyStore.LoadAsync(options.EffectiveKeystorePath, Passphrase);
        using var authority = ProviderCertificateAuthority.Create("Provider", TimeSpan.FromDays(365), _time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = authority.IssueNodeCertificate(EvmAddress.Parse(nodeKey.GetPublicAddress()), key, validity, _time);
        await CredentialFolders.WriteNodeAsync(_dir.File("provider"), key, [leaf, authority.Certificate], null);
        options.Credentials.SigningKeyPath = _dir.File("provider/signing.key.pem");
        options.Credentials.ChainPath = _dir.File("provider/chain.pem");
        return options;
    }
}
