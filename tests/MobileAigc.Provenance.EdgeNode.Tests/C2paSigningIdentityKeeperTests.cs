using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.EdgeNode.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class C2paSigningIdentityKeeperTests : IDisposable
{
    private static readonly ContractDomain Registry =
        ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly C2paSigningIdentityFilesTests.CollectingLogger _log = new();

    private EvmAddress Node => EvmAddress.Parse(_nodeKey.GetPublicAddress());

    [Fact]
    public async Task Timer_DevelopmentCertificateEntersTheWindowWhileRunning_IsRenewedAndBoundAgain()
    {
        using var keeper = await OpenAsync(Options().C2paCredentials);
        var first = keeper.Current;
        var firstCertificate = first.Certificate.RawData;

        _time.Advance(TimeSpan.FromDays(336));

        var renewed = await WaitForAsync(() => keeper.Current is var now && !now.Certificate.RawData.AsSpan().SequenceEqual(firstCertificate) ? now : null);
        Assert.Same(first.SigningKey, renewed.SigningKey);
        Assert.Equal(first.Chain[^1].RawData, renewed.Chain[^1].RawData);
        Assert.Equal(Node, renewed.Binding!.Verify(renewed.Certificate, Registry));
        Assert.Same(renewed, keeper.EnsureCanSign());
        Assert.Contains(_log.Messages, m => m.Text.Contains("Renewed the development C2PA signing certificate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_DevelopmentCertificateNotYetDue_KeepsIt()
    {
        using var keeper = await OpenAsync(Options().C2paCredentials);
        var first = keeper.Current;
        _time.Advance(TimeSpan.FromDays(300));

        Assert.False(await keeper.CheckAsync());
        Assert.Same(first, keeper.Current);
    }

    [Fact]
    public async Task EnsureCanSign_ProvidersCertificateExpiresWhileRunning_WarnsThenRefusesWithAClearMessage()
    {
        using var keeper = await OpenAsync(await ProviderLocationAsync(TimeSpan.FromDays(40)));
        Assert.Same(keeper.Current, keeper.EnsureCanSign());

        _time.Advance(TimeSpan.FromDays(15));
        Assert.False(await keeper.CheckAsync());
        Assert.Contains(_log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("will not renew it", StringComparison.Ordinal));
        Assert.Same(keeper.Current, keeper.EnsureCanSign());

        _time.Advance(TimeSpan.FromDays(26));
        Assert.False(await keeper.CheckAsync());
        var e = Assert.Throws<C2paSigningUnavailableException>(keeper.EnsureCanSign);
        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not renew it", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DevelopmentCaGone_FailsLoudly_AndEnsureCanSignRefusesOnceExpired()
    {
        var options = Options();
        using var keeper = await OpenAsync(options.C2paCredentials);
        Directory.Delete(Path.Combine(options.C2paDirectory, C2paSigningIdentityFiles.DevelopmentCaFolder), recursive: true);
        _time.Advance(TimeSpan.FromDays(366));

        await Assert.ThrowsAnyAsync<Exception>(() => keeper.CheckAsync());
        var e = Assert.Throws<C2paSigningUnavailableException>(keeper.EnsureCanSign);
        Assert.Contains("has not been renewed", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private EdgeNodeOptions Options() => new() { DataDirectory = _dir.Path, ProvenanceLedger = EdgeNodeHost.LedgerContract };

    private async Task<C2paSigningIdentityKeeper> OpenAsync(C2paCredentialLocation location) => new(
        await C2paSigningIdentityFiles.LoadOrCreateAsync(location, _nodeKey, Registry, _time, _log), location, _nodeKey, Registry, _time, _log);

    private async Task<C2paCredentialLocation> ProviderLocationAsync(TimeSpan validity)
    {
        using var authority = ProviderCertificateAuthority.Create("Provider", TimeSpan.FromDays(365), _time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = authority.IssueNodeCertificate(Node, key, validity, _time);
        await CredentialFolders.WriteNodeAsync(_dir.File("provider"), key, [leaf, authority.Certificate], null);
        var options = Options();
        options.Credentials.SigningKeyPath = _dir.File("provider/signing.key.pem");
        options.Credentials.ChainPath = _dir.File("provider/chain.pem");
        return options.C2paCredentials;
    }

    // The timer's renewal runs in the background: wait for its outcome, bounded, never a fixed sleep.
    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
