using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.EdgeNode.Keys;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class NodeSecretsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private EdgeNodeOptions Options(bool create = true) => new()
    {
        DataDirectory = _dir.Path,
        PassphraseFile = _dir.File("passphrase"),
        CreateKeystoreIfMissing = create,
        ProvenanceLedger = EdgeNodeHost.LedgerContract,
    };

    [Fact]
    public async Task Load_FirstStart_CreatesBothKeysAndLaterStartsReuseThem()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase\n");

        var first = await NodeSecrets.LoadAsync(Options().Secrets);
        var second = await NodeSecrets.LoadAsync(Options().Secrets);

        Assert.Equal(first.SigningKey.GetPublicAddress(), second.SigningKey.GetPublicAddress());
        Assert.Equal(first.WatermarkKey.ToHex(), second.WatermarkKey.ToHex());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("watermark.key")));
    }

    [Fact]
    public async Task OpenRuntime_FirstStart_CreatesTheDataFolderOwnerOnly_AndEverySecretInItOwnerOnly()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase\n");
        var options = Options();
        options.DataDirectory = Path.Combine(_dir.Path, "fresh", "node");
        options.ModelsDirectory = RepositoryPaths.Models;

        using (await EdgeNodeRuntime.OpenAsync(options, TimeProvider.System))
        {
        }

        Assert.Equal(SecretFile.FolderMode, File.GetUnixFileMode(options.DataDirectory));
        foreach (var secret in new[] { options.EffectiveKeystorePath, options.EffectiveWatermarkKeyPath, options.EffectiveProviderKeyPath })
        {
            Assert.Equal(SecretFile.FileMode, File.GetUnixFileMode(secret));
        }
    }

    [Fact]
    public async Task ProviderKey_FirstLoadCreatesARandomKey_LaterLoadsMatchOnlyIt()
    {
        var path = _dir.File("provider.key");

        var created = await ProviderKey.LoadOrCreateAsync(path);
        var key = (await File.ReadAllTextAsync(path)).Trim();
        var reloaded = await ProviderKey.LoadOrCreateAsync(path);

        Assert.Equal(64, key.Length);
        Assert.True(created.Matches(key) && reloaded.Matches(key));
        Assert.False(reloaded.Matches(key[..^1]) || reloaded.Matches(key + "0") || reloaded.Matches("") || reloaded.Matches(null));
        await ProviderKey.LoadOrCreateAsync(_dir.File("other-provider.key"));
        Assert.NotEqual(key, (await File.ReadAllTextAsync(_dir.File("other-provider.key"))).Trim());
    }

    [Fact]
    public async Task SecretFile_Replace_WritesANewOwnerOnlyFile_WhateverTheOldFilesMode()
    {
        var path = _dir.File("old-secret");
        await File.WriteAllTextAsync(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await SecretFile.ReplaceAsync(path, "new"u8.ToArray());

        Assert.Equal(SecretFile.FileMode, File.GetUnixFileMode(path));
        Assert.Equal("new", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Load_NoPassphraseConfigured_ThrowsNamingTheVariable()
    {
        var options = Options();
        options.PassphraseFile = null;
        if (Environment.GetEnvironmentVariable(EdgeNodeOptions.PassphraseVariable) is not null)
        {
            return; // the environment provides one; nothing to check here
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NodeSecrets.LoadAsync(options.Secrets));

        Assert.Contains(EdgeNodeOptions.PassphraseVariable, error.Message);
    }

    [Fact]
    public async Task Load_MissingKeystoreAndCreationDisabled_Throws()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase");

        await Assert.ThrowsAsync<InvalidOperationException>(() => NodeSecrets.LoadAsync(Options(create: false).Secrets));
    }

    [Fact]
    public async Task Load_CorruptWatermarkKeyFile_ThrowsFormatException()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase");
        await File.WriteAllTextAsync(_dir.File("watermark.key"), "not a key");

        await Assert.ThrowsAsync<FormatException>(() => NodeSecrets.LoadAsync(Options().Secrets));
    }

    public void Dispose() => _dir.Dispose();
}
