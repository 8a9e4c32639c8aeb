using MobileAigc.Provenance.EdgeNode.Keys;

namespace MobileAigc.Provenance.EdgeNode.Tests;

public sealed class NodeKeyStoreTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Create_ThenLoad_GivesTheSameKey()
    {
        var created = await NodeKeyStore.CreateAsync(_dir.File("node.json"), Passphrase);

        var loaded = await NodeKeyStore.LoadAsync(_dir.File("node.json"), Passphrase);

        Assert.Equal(created.GetPrivateKey(), loaded.GetPrivateKey());
        Assert.Equal(created.GetPublicAddress(), NodeKeyStore.ReadAddress(_dir.File("node.json")).ToString());
    }

    [Fact]
    public async Task Create_FileIsReadableByTheOwnerOnlyAndHoldsNoClearKey()
    {
        var key = await NodeKeyStore.CreateAsync(_dir.File("node.json"), Passphrase);

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("node.json")));
        }

        Assert.DoesNotContain(key.GetPrivateKey()[2..], await File.ReadAllTextAsync(_dir.File("node.json")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Load_WrongPassphrase_ThrowsInvalidKeystore()
    {
        await NodeKeyStore.CreateAsync(_dir.File("node.json"), Passphrase);

        var error = await Assert.ThrowsAsync<InvalidKeystoreException>(() => NodeKeyStore.LoadAsync(_dir.File("node.json"), "wrong passphrase!"));

        Assert.Contains("Wrong passphrase", error.Message);
    }

    [Fact]
    public async Task Load_NotAKeystore_ThrowsInvalidKeystore()
    {
        await File.WriteAllTextAsync(_dir.File("node.json"), "{\"hello\": 1}");

        await Assert.ThrowsAsync<InvalidKeystoreException>(() => NodeKeyStore.LoadAsync(_dir.File("node.json"), Passphrase));
    }

    [Fact]
    public async Task Load_Missing_ThrowsFileNotFound() =>
        await Assert.ThrowsAsync<FileNotFoundException>(() => NodeKeyStore.LoadAsync(_dir.File("none.json"), Passphrase));

    [Fact]
    public async Task Create_ShortPassphraseOrExistingFile_Throws()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NodeKeyStore.CreateAsync(_dir.File("a.json"), "short"));
        await NodeKeyStore.CreateAsync(_dir.File("b.json"), Passphrase);
        await Assert.ThrowsAsync<IOException>(() => NodeKeyStore.CreateAsync(_dir.File("b.json"), Passphrase));
    }

    public void Dispose() => _dir.Dispose();
}
