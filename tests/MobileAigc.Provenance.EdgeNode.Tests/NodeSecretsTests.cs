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
