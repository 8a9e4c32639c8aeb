using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary><c>provenance credentials ca new</c> and <c>cert issue|check</c> run as a user would, files on disk.</summary>
public sealed class CredentialsCommandTests : IDisposable
{
    private const string Registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

    private readonly string _dir = Directory.CreateTempSubdirectory("cli-credentials-").FullName;

    [Fact]
    public async Task CaNew_CertIssueWithTheNodeKeystore_ThenCheck_ChainsAndIsBoundToTheNode()
    {
        var (keystore, passphrase, node) = await NodeKeystoreAsync();

        var ca = await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme Pixels");
        var issue = await CliRunner.RunAsync("credentials", "cert", "issue", "--ca", Dir("ca"), "--node-keystore", keystore, "--passphrase-file", passphrase,
            "--registry", Registry, "--chain-id", "31337", "--out", Dir("node"));
        var check = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", Dir("node/chain.pem"),
            "--binding", Dir("node/binding.json"), "--registry", Registry, "--chain-id", "31337");

        Assert.Equal((0, ""), (ca.ExitCode, ca.Error));
        Assert.Equal((0, ""), (issue.ExitCode, issue.Error));
        Assert.Equal((0, ""), (check.ExitCode, check.Error));
        Assert.Contains($"bound to node {node}", check.Output, StringComparison.Ordinal);
        var chain = await CertificatePem.ReadChainFileAsync(Dir("node/chain.pem"));
        Assert.Equal(node, NodeCertificateNames.NodeOf(chain[0]));
        var binding = CertificateBinding.Parse(await File.ReadAllBytesAsync(Dir("node/binding.json")));
        Assert.Equal(node, binding.Verify(chain[0], ContractDomain.ForModelRegistry(31337, EvmAddress.Parse(Registry))));
        foreach (var secret in new[] { Dir("ca/ca.key.pem"), Dir("node/signing.key.pem") })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        }
    }

    [Fact]
    public async Task CertIssue_ByAddressOnly_WritesNoBinding_AndTheChainChecksWithAP384Ca()
    {
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme", "--curve", "p384", "--days", "30");

        var issue = await CliRunner.RunAsync("credentials", "cert", "issue", "--ca", Dir("ca"), "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--out", Dir("node"));
        var check = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", Dir("node/chain.pem"), "--root", Dir("ca/ca.pem"));

        Assert.Equal(0, issue.ExitCode);
        Assert.Contains("no binding", issue.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Dir("node/binding.json")));
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public async Task CertCheck_ACaAsTheSigner_ExitsOneListingEachFault()
    {
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme");

        var check = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", Dir("ca/ca.pem"));

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("leaf.ca:", check.Error, StringComparison.Ordinal);
        Assert.Contains("leaf.keyUsage:", check.Error, StringComparison.Ordinal);
        Assert.Contains("leaf.extendedKeyUsage:", check.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ok:", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CertCheck_AnotherProvidersRoot_OrABindingForAnotherChain_ExitsOne()
    {
        var (keystore, passphrase, _) = await NodeKeystoreAsync();
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme");
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("other"), "--name", "Other");
        await CliRunner.RunAsync("credentials", "cert", "issue", "--ca", Dir("ca"), "--node-keystore", keystore, "--passphrase-file", passphrase,
            "--registry", Registry, "--out", Dir("node"));

        var otherRoot = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", Dir("node/chain.pem"), "--root", Dir("other/ca.pem"));
        var otherChain = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", Dir("node/chain.pem"),
            "--binding", Dir("node/binding.json"), "--registry", Registry, "--chain-id", "1");

        Assert.Equal(1, otherRoot.ExitCode);
        Assert.Contains("issuer:", otherRoot.Error, StringComparison.Ordinal);
        Assert.Equal(1, otherChain.ExitCode);
        Assert.Contains("credentials cert check: The binding was signed for registry", otherChain.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("curve", "--curve must be p256 or p384")]
    [InlineData("days", "--days must be from 1 to 36500")]
    [InlineData("name", "at most 56 characters")]
    public async Task CaNew_BadInput_ExitsOneWithAMessage_AndWritesNothing(string kind, string message)
    {
        string[] extra = kind switch
        {
            "curve" => ["--name", "Acme", "--curve", "p521"],
            "days" => ["--name", "Acme", "--days", "0"],
            _ => ["--name", new string('a', 57)],
        };

        var result = await CliRunner.RunAsync(["credentials", "ca", "new", "--out", Dir("ca"), .. extra]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("credentials ca new: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir("ca")));
    }

    [Theory]
    [InlineData("no-node", "give the node with --node-keystore")]
    [InlineData("both", "mutually exclusive")]
    [InlineData("bad-address", "--node must be an address")]
    [InlineData("no-registry", "--registry (the ModelRegistry address) is needed")]
    [InlineData("wrong-passphrase", "wrong passphrase or not a keystore")]
    [InlineData("no-ca", "No file at")]
    [InlineData("existing", "exists already")]
    public async Task CertIssue_BadInput_ExitsOneWithAMessage(string kind, string message)
    {
        var (keystore, passphrase, node) = await NodeKeystoreAsync();
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme");
        if (kind == "wrong-passphrase")
        {
            await File.WriteAllTextAsync(passphrase, "not the passphrase\n");
        }

        if (kind == "existing")
        {
            Directory.CreateDirectory(Dir("node"));
            await File.WriteAllTextAsync(Dir("node/chain.pem"), "kept");
        }

        string[] arguments = kind switch
        {
            "no-node" => [],
            "both" => ["--node", node.ToString(), "--node-keystore", keystore, "--passphrase-file", passphrase, "--registry", Registry],
            "bad-address" => ["--node", "0x1234"],
            "no-registry" or "wrong-passphrase" => ["--node-keystore", keystore, "--passphrase-file", passphrase, .. kind == "no-registry" ? Array.Empty<string>() : ["--registry", Registry]],
            _ => ["--node", node.ToString()],
        };

        var result = await CliRunner.RunAsync(["credentials", "cert", "issue", "--ca", kind == "no-ca" ? Dir("nowhere") : Dir("ca"), "--out", Dir("node"), .. arguments]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("credentials cert issue: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Dir("node/signing.key.pem")));
        if (kind == "existing")
        {
            Assert.Equal("kept", await File.ReadAllTextAsync(Dir("node/chain.pem")));
        }
    }

    [Theory]
    [InlineData("missing", "No file at")]
    [InlineData("text", "no PEM CERTIFICATE block")]
    [InlineData("broken", "does not parse")]
    [InlineData("no-root", "does not end in a self-signed root")]
    public async Task CertCheck_BadInput_ExitsOneWithAMessage(string kind, string message)
    {
        await CliRunner.RunAsync("credentials", "ca", "new", "--out", Dir("ca"), "--name", "Acme");
        await CliRunner.RunAsync("credentials", "cert", "issue", "--ca", Dir("ca"), "--node", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "--out", Dir("node"));
        var file = Dir("input.pem");
        switch (kind)
        {
            case "text":
                await File.WriteAllTextAsync(file, "hello");
                break;
            case "broken":
                await File.WriteAllTextAsync(file, "-----BEGIN CERTIFICATE-----\nAAECAwQ=\n-----END CERTIFICATE-----\n");
                break;
            case "no-root":
                await File.WriteAllTextAsync(file, CertificatePem.WriteChain([(await CertificatePem.ReadChainFileAsync(Dir("node/chain.pem")))[0]]));
                break;
        }

        var result = await CliRunner.RunAsync("credentials", "cert", "check", "--chain", file);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("credentials cert check: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca", "new")]
    [InlineData("cert", "issue")]
    [InlineData("cert", "check")]
    public async Task Help_EachCommand_ExitsZeroDescribingIt(string group, string command)
    {
        var result = await CliRunner.RunAsync("credentials", group, command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"provenance credentials {group} {command} [options]", result.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Dir(string relative) => Path.Combine(_dir, relative);

    private async Task<(string Keystore, string Passphrase, EvmAddress Node)> NodeKeystoreAsync()
    {
        var key = EthECKey.GenerateKey();
        var address = EvmAddress.Parse(key.GetPublicAddress());
        // Cheap scrypt parameters: the keystore format is the node's, the cost is not what is tested.
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            "node-passphrase", key.GetPrivateKeyAsBytes(), address.ToString(), new ScryptParams { Dklen = 32, N = 1 << 10, R = 8, P = 1 });
        var keystore = Dir("node-keystore.json");
        var passphrase = Dir("node.passphrase");
        await File.WriteAllTextAsync(keystore, json);
        await File.WriteAllTextAsync(passphrase, "node-passphrase\n");
        return (keystore, passphrase, address);
    }
}
