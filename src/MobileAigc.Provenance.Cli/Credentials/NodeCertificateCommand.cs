using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Certificates;

namespace MobileAigc.Provenance.Cli.Credentials;

/// <summary>
/// <c>provenance credentials cert issue|check</c>: a node's P-256 signing key and certificate from the
/// provider CA, bound to the node address by the node key; and the check of a chain a provider brings.
/// </summary>
internal static class NodeCertificateCommand
{
    public static Command Create() => new("cert", "Node C2PA signing certificates.") { Issue(), Check() };

    private static Command Issue()
    {
        var ca = new Option<DirectoryInfo>("--ca") { Description = $"The CA folder ({CredentialFolders.CaCertificateFile} and {CredentialFolders.CaKeyFile}, as 'credentials ca new' writes them).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = $"The folder to write {CredentialFolders.SigningKeyFile} (owner-only), {CredentialFolders.ChainFile} and {CredentialFolders.BindingFile} into: the node's EdgeNode:Credentials files. Existing files are never overwritten.", Required = true };
        var keystore = new Option<FileInfo>("--node-keystore") { Description = "The node's encrypted keystore (Web3 Secret Storage JSON): names the node and signs the binding. Give it or --node." };
        var passphrase = new Option<FileInfo>("--passphrase-file") { Description = "A file holding the node keystore's passphrase." };
        var node = new Option<string>("--node") { Description = "The node's address, when its key is not at hand: no binding is written; the node signs one at its next start." };
        var registry = new Option<string>("--registry") { Description = "The ModelRegistry contract the binding is signed for (with --node-keystore)." };
        var chainId = new Option<long>("--chain-id") { Description = "The chain id of the registry (31337 for anvil).", DefaultValueFactory = _ => 31337 };
        var days = new Option<int>("--days") { Description = "How many days the certificate is valid (never past the CA's expiry).", DefaultValueFactory = _ => 365 };

        var issue = new Command("issue", "Issue a node's C2PA signing certificate: a new P-256 key, a certificate from the CA naming the node address, and the node key's EIP-712 binding of the certificate.")
        {
            ca, output, keystore, passphrase, node, registry, chainId, days,
        };
        issue.SetAction((parse, cancellationToken) => CliErrors.RunAsync("credentials cert issue", async () =>
        {
            var validity = CredentialArguments.Days("--days", parse.GetValue(days));
            var (address, nodeKey) = (parse.GetValue(keystore), parse.GetValue(node)) switch
            {
                (null, null) => throw new ArgumentException("give the node with --node-keystore (and --passphrase-file) or --node."),
                (not null, not null) => throw new ArgumentException("--node-keystore and --node are mutually exclusive: give one."),
                (null, { } text) => (EvmAddress.TryParse(text, out var parsed) ? parsed : throw new ArgumentException($"--node must be an address (0x followed by 40 hex digits); got '{text}'."), null),
                ({ } file, null) => OpenNodeKey(file, parse.GetValue(passphrase)),
            };
            var domain = nodeKey is null ? null : CredentialArguments.Registry(parse.GetValue(registry), parse.GetValue(chainId));
            using var authority = await CredentialFolders.ReadAuthorityAsync(parse.GetValue(ca)!.FullName, cancellationToken);
            using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var leaf = authority.IssueNodeCertificate(address, signingKey, validity, TimeProvider.System);
            var binding = nodeKey is null ? null : CertificateBinding.Sign(leaf, nodeKey, domain!);
            var folder = parse.GetValue(output)!.FullName;
            await CredentialFolders.WriteNodeAsync(folder, signingKey, [leaf, authority.Certificate], binding, cancellationToken);
            Console.WriteLine($"issued '{leaf.Subject}' by '{leaf.Issuer}', valid until {leaf.NotAfter.ToUniversalTime():u}, certificate hash {CertificateBinding.HashOf(leaf)}");
            Console.WriteLine(binding is null
                ? $"wrote {folder}: {CredentialFolders.SigningKeyFile}, {CredentialFolders.ChainFile}; no binding (the node signs it at its next start)"
                : $"wrote {folder}: {CredentialFolders.SigningKeyFile}, {CredentialFolders.ChainFile}, {CredentialFolders.BindingFile} (bound to {address} in registry {domain!.VerifyingContract} on chain {domain.ChainId})");
            return 0;
        }));
        return issue;
    }

    private static Command Check()
    {
        var chainFile = new Option<FileInfo>("--chain") { Description = "The chain to check (PEM, signing certificate first).", Required = true };
        var root = new Option<FileInfo>("--root") { Description = "The provider's root certificate (PEM). Default: the chain's last certificate, which must then be self-signed." };
        var bindingFile = new Option<FileInfo>("--binding") { Description = "A binding of the signing certificate to check too (needs --registry and --chain-id)." };
        var registry = new Option<string>("--registry") { Description = "The ModelRegistry contract the binding must be signed for." };
        var chainId = new Option<long>("--chain-id") { Description = "The chain id of the registry.", DefaultValueFactory = _ => 31337 };

        var check = new Command("check", "Check a provider's own chain for C2PA signing: P-256 (ES256) signer with digitalSignature and an accepted extended key usage (never anyExtendedKeyUsage), no CA, chaining to the root, all valid now. Exit 1 with every fault.")
        {
            chainFile, root, bindingFile, registry, chainId,
        };
        check.SetAction((parse, cancellationToken) => CliErrors.RunAsync("credentials cert check", async () =>
        {
            var chain = await CertificatePem.ReadChainFileAsync(parse.GetValue(chainFile)!.FullName, cancellationToken);
            var anchor = parse.GetValue(root) is { } rootFile
                ? (await CertificatePem.ReadChainFileAsync(rootFile.FullName, cancellationToken))[0]
                : SelfSignedLast(chain);
            var faults = SigningChainChecker.Check(chain, anchor, TimeProvider.System.GetUtcNow());
            foreach (var fault in faults)
            {
                await Console.Error.WriteLineAsync($"credentials cert check: {fault.Code}: {fault.Message}");
            }

            if (faults.Count > 0)
            {
                return 1;
            }

            Console.WriteLine($"ok: '{chain[0].Subject}' may sign C2PA claims: chains to '{anchor.Subject}', valid until {chain[0].NotAfter.ToUniversalTime():u}");
            if (parse.GetValue(bindingFile) is { } file)
            {
                var domain = CredentialArguments.Registry(parse.GetValue(registry), parse.GetValue(chainId));
                var binding = CertificateBinding.Parse(await CliErrors.ReadInputAsync(file));
                Console.WriteLine($"bound to node {binding.Verify(chain[0], domain)} in registry {domain.VerifyingContract} on chain {domain.ChainId}");
            }

            return 0;
        }));
        return check;
    }

    private static (EvmAddress Address, Nethereum.Signer.EthECKey Key) OpenNodeKey(FileInfo keystore, FileInfo? passphrase)
    {
        var key = KeystoreFile.Decrypt(keystore, passphrase ?? throw new ArgumentException("--node-keystore needs --passphrase-file."));
        return (EvmAddress.Parse(key.GetPublicAddress()), key);
    }

    private static X509Certificate2 SelfSignedLast(IReadOnlyList<X509Certificate2> chain) =>
        chain[^1].SubjectName.RawData.AsSpan().SequenceEqual(chain[^1].IssuerName.RawData)
            ? chain[^1]
            : throw new ArgumentException("The chain does not end in a self-signed root: name the root with --root.");
}
