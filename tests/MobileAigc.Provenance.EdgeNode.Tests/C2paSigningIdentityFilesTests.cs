using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.EdgeNode.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class C2paSigningIdentityFilesTests : IDisposable
{
    private static readonly ContractDomain Registry =
        ContractDomain.ForModelRegistry(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly CollectingLogger _log = new();

    private EvmAddress Node => EvmAddress.Parse(_nodeKey.GetPublicAddress());

    private EdgeNodeOptions Options(Action<C2paCredentialOptions>? configure = null)
    {
        var options = new EdgeNodeOptions { DataDirectory = _dir.Path, ProvenanceLedger = EdgeNodeHost.LedgerContract };
        configure?.Invoke(options.Credentials);
        return options;
    }

    [Fact]
    public async Task LoadOrCreate_FirstStartOnDefaults_MakesADevelopmentCaOwnerOnly_BindsTheCertificate_AndSaysSo()
    {
        var options = Options();

        using var identity = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.True(identity.IsDevelopment);
        Assert.Equal(Node, identity.Node);
        Assert.Equal(Node, NodeCertificateNames.NodeOf(identity.Certificate));
        Assert.Empty(SigningChainChecker.Check(identity.Chain, identity.Chain[^1], _time.GetUtcNow()));
        Assert.Equal(Node, identity.Binding!.Verify(identity.Certificate, Registry));
        Assert.Contains(_log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("development C2PA CA", StringComparison.Ordinal));
        Assert.Equal(SecretFile.FolderMode, File.GetUnixFileMode(options.C2paDirectory));
        foreach (var key in new[] { options.C2paCredentials.SigningKeyPath, Path.Combine(options.C2paDirectory, "development-ca", "ca.key.pem") })
        {
            Assert.Equal(SecretFile.FileMode, File.GetUnixFileMode(key));
        }

        var signature = identity.SigningKey.SignData("claim"u8, HashAlgorithmName.SHA256);
        using var certified = identity.Certificate.GetECDsaPublicKey()!;
        Assert.True(certified.VerifyData("claim"u8, signature, HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task LoadOrCreate_LaterStarts_ReuseTheIdentity_AndMakeNoNewCa()
    {
        var options = Options();
        using var first = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);
        _log.Messages.Clear();

        using var second = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.Equal(first.Certificate.RawData, second.Certificate.RawData);
        Assert.Equal(first.Binding!.ToJsonBytes(), second.Binding!.ToJsonBytes());
        Assert.DoesNotContain(_log.Messages, m => m.Text.Contains("development C2PA CA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadOrCreate_AnotherRegistry_RebindsTheSameCertificate()
    {
        var options = Options();
        var otherRegistry = Registry with { ChainId = 1 };
        using var first = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        using var second = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, otherRegistry, _time, _log);

        Assert.Equal(first.Certificate.RawData, second.Certificate.RawData);
        Assert.Equal(Node, second.Binding!.Verify(second.Certificate, otherRegistry));
        Assert.Equal(Node, CertificateBinding.Parse(await File.ReadAllBytesAsync(options.C2paCredentials.BindingPath)).Verify(second.Certificate, otherRegistry));
    }

    [Fact]
    public async Task LoadOrCreate_NoRegistry_LeavesTheCertificateUnbound_AndSaysSo()
    {
        using var identity = await C2paSigningIdentityFiles.LoadOrCreateAsync(Options().C2paCredentials, _nodeKey, null, _time, _log);

        Assert.Null(identity.Binding);
        Assert.Contains(_log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("not bound", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadOrCreate_AProvidersOwnChain_WithItsRootApart_IsUsedAndNotDevelopment()
    {
        using var authority = ProviderCertificateAuthority.Create("Provider", TimeSpan.FromDays(365), _time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = authority.IssueNodeCertificate(Node, key, TimeSpan.FromDays(30), _time);
        await CredentialFolders.WriteNodeAsync(_dir.File("provider"), key, [leaf], null);
        await CredentialFolders.WriteAuthorityAsync(_dir.File("provider-ca"), authority);
        var options = Options(c =>
        {
            c.SigningKeyPath = _dir.File("provider/signing.key.pem");
            c.ChainPath = _dir.File("provider/chain.pem");
            c.TrustAnchorPath = _dir.File("provider-ca/ca.pem");
        });

        using var identity = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.False(identity.IsDevelopment);
        Assert.Equal(leaf.RawData, identity.Certificate.RawData);
        Assert.False(Directory.Exists(options.C2paDirectory + "/development-ca"));
    }

    [Fact]
    public async Task LoadOrCreate_ConfiguredFilesMissing_Throws_AndMakesNothing()
    {
        var options = Options(c => c.ChainPath = _dir.File("missing-chain.pem"));

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log));

        Assert.Contains("missing", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.C2paDirectory));
    }

    [Fact]
    public async Task LoadOrCreate_AKeyThatIsNotTheCertificates_Throws()
    {
        var options = Options();
        using (await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log))
        {
        }

        File.Delete(options.C2paCredentials.SigningKeyPath);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await CertificatePem.WritePrivateKeyAsync(options.C2paCredentials.SigningKeyPath, other);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log));
        Assert.Contains("is not the key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadOrCreate_AnotherNodesCertificate_Throws()
    {
        var options = Options();
        using (await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log))
        {
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, EthECKey.GenerateKey(), Registry, _time, _log));
        Assert.Contains("names node", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(336)] // 29 days left: inside the default 30-day window
    [InlineData(400)] // expired a month ago
    public async Task LoadOrCreate_DevelopmentCertificateDueOrExpired_RenewsItFromTheSameCaForTheSameKey_AndBindsItAgain(int daysLater)
    {
        var options = Options();
        byte[] firstCertificate, firstCa, firstKey;
        using (var first = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log))
        {
            (firstCertificate, firstCa, firstKey) = (first.Certificate.RawData, first.Chain[^1].RawData, first.SigningKey.ExportSubjectPublicKeyInfo());
        }

        _time.Advance(TimeSpan.FromDays(daysLater));
        _log.Messages.Clear();

        using var renewed = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.True(renewed.IsDevelopment);
        Assert.NotEqual(firstCertificate, renewed.Certificate.RawData);
        Assert.Equal(firstCa, renewed.Chain[^1].RawData);
        Assert.Equal(firstKey, renewed.SigningKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(_time.GetUtcNow().AddDays(365).UtcDateTime, renewed.Certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Empty(SigningChainChecker.Check(renewed.Chain, renewed.Chain[^1], _time.GetUtcNow()));
        Assert.Equal(Node, renewed.Binding!.Verify(renewed.Certificate, Registry));
        Assert.Equal(Node, CertificateBinding.Parse(await File.ReadAllBytesAsync(options.C2paCredentials.BindingPath)).Verify(renewed.Certificate, Registry));
        Assert.Contains(_log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("Renewed the development C2PA signing certificate", StringComparison.Ordinal));
        Assert.DoesNotContain(_log.Messages, m => m.Text.Contains("Made a development C2PA CA", StringComparison.Ordinal));
        Assert.False(File.Exists(options.C2paCredentials.ChainPath + ".renewed"));
        Assert.Equal(SecretFile.FileMode, File.GetUnixFileMode(options.C2paCredentials.ChainPath));
    }

    [Fact]
    public async Task LoadOrCreate_DevelopmentCertificateOutsideTheWindow_IsKept()
    {
        var options = Options(c => c.CertificateRenewalDays = 10);
        using (await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log))
        {
        }

        var before = await File.ReadAllTextAsync(options.C2paCredentials.ChainPath);
        _time.Advance(TimeSpan.FromDays(336));

        using var identity = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.Equal(before, await File.ReadAllTextAsync(options.C2paCredentials.ChainPath));
        Assert.DoesNotContain(_log.Messages, m => m.Text.Contains("Renewed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadOrCreate_ProvidersCertificateWithinTheWindow_IsKept_AndTheNodeWarns()
    {
        var options = await ProviderOptionsAsync(TimeSpan.FromDays(20));
        var chainBefore = await File.ReadAllTextAsync(options.C2paCredentials.ChainPath);

        using var identity = await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log);

        Assert.False(identity.IsDevelopment);
        Assert.Equal(chainBefore, await File.ReadAllTextAsync(options.C2paCredentials.ChainPath));
        Assert.Contains(_log.Messages, m => m.Level == LogLevel.Warning && m.Text.Contains("will not renew it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LoadOrCreate_ProvidersCertificateExpired_ThrowsSayingTheNodeDoesNotRenewIt()
    {
        var options = await ProviderOptionsAsync(TimeSpan.FromDays(20));
        var chainBefore = await File.ReadAllTextAsync(options.C2paCredentials.ChainPath);
        _time.Advance(TimeSpan.FromDays(21));

        var e = await Assert.ThrowsAsync<C2paSigningUnavailableException>(() =>
            C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, _nodeKey, Registry, _time, _log));

        Assert.Contains("expired", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not renew it", e.Message, StringComparison.Ordinal);
        Assert.Equal(chainBefore, await File.ReadAllTextAsync(options.C2paCredentials.ChainPath));
    }

    [Fact]
    public void Options_RenewalWindowNotShorterThanTheCertificate_IsInvalid()
    {
        var credentials = new C2paCredentialOptions { DevelopmentCertificateDays = 30, CertificateRenewalDays = 30 };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            credentials, new System.ComponentModel.DataAnnotations.ValidationContext(credentials), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(C2paCredentialOptions.CertificateRenewalDays)));
    }

    /// <summary>Options naming a provider's key and chain for this node, its certificate valid for <paramref name="validity"/> from now.</summary>
    private async Task<EdgeNodeOptions> ProviderOptionsAsync(TimeSpan validity)
    {
        using var authority = ProviderCertificateAuthority.Create("Provider", TimeSpan.FromDays(365), _time);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = authority.IssueNodeCertificate(Node, key, validity, _time);
        await CredentialFolders.WriteNodeAsync(_dir.File("provider"), key, [leaf, authority.Certificate], null);
        return Options(c =>
        {
            c.SigningKeyPath = _dir.File("provider/signing.key.pem");
            c.ChainPath = _dir.File("provider/chain.pem");
        });
    }

    public void Dispose() => _dir.Dispose();

    internal sealed class CollectingLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add((logLevel, formatter(state, exception)));
    }
}
