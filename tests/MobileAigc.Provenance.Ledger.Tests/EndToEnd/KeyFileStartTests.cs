using MobileAigc.Provenance.Ledger.Tests.Fixtures;

namespace MobileAigc.Provenance.Ledger.Tests.EndToEnd;

/// <summary>
/// The admin and auditor key files are read when the real ledger process starts: a missing or empty one stops it with
/// the setting and the path, instead of answering the first request that needs the key with a 500.
/// </summary>
[Collection(LedgerProcessCollection.Name)]
public sealed class KeyFileStartTests(LedgerChainFixture chain) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-key-files-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("AdminApiKeyFile", null, "cannot be read")]
    [InlineData("AuditorApiKeyFile", null, "cannot be read")]
    [InlineData("AdminApiKeyFile", "  \n", "is empty")]
    [InlineData("AuditorApiKeyFile", "", "is empty")]
    public async Task Start_KeyFileMissingOrEmpty_RefusesNamingTheSettingAndThePath(string setting, string? content, string problem)
    {
        var setup = new LedgerHostSetup(await chain.DeployAsync(), _directory);
        var settings = await setup.SettingsAsync(new Dictionary<string, string> { ["Ledger:Database:DataDirectory"] = Path.Combine(_directory, "db") });
        var keyFile = Path.Combine(_directory, "key-file");
        if (content is not null)
        {
            await File.WriteAllTextAsync(keyFile, content);
        }

        settings[$"Ledger:Host:{setting}"] = keyFile;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LedgerHostProcess.StartAsync(settings));

        Assert.Contains($"Ledger:Host:{setting} '{keyFile}' {problem}", error.Message, StringComparison.Ordinal);
        Assert.Contains("configuration refused", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }
}
