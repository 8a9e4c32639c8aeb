using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.Credentials.Certificates;
using Microsoft.Extensions.Logging;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// Opens the node's <see cref="C2paSigningIdentity"/> from its files: checks that key and certificate
/// match, that the chain may sign C2PA claims (<see cref="SigningChainChecker"/>) and names no other node,
/// and keeps the binding current for the configured registry. On development defaults with no files yet,
/// first makes a development CA (<c>development-ca/</c>) and a node certificate, and logs that it did.
/// </summary>
/// <remarks>
/// A development certificate that has expired, or expires within <see cref="C2paCredentialLocation.RenewalWindow"/>, is renewed
/// from the same development CA (<see cref="RenewAsync"/>); a provider's is never renewed: within the window the node warns, and
/// once it has expired the node refuses to start (and, running, to sign: <see cref="C2paSigningIdentityKeeper"/>).
/// </remarks>
public static partial class C2paSigningIdentityFiles
{
    /// <summary>The folder of the development CA inside the development folder.</summary>
    public const string DevelopmentCaFolder = "development-ca";

    /// <summary>Opens (or makes) the identity.</summary>
    /// <param name="location">Where the files are.</param>
    /// <param name="nodeKey">The node key: names the node and signs the binding.</param>
    /// <param name="registryDomain">The <c>ModelRegistry</c> domain the binding is signed in; <c>null</c> leaves the certificate unbound.</param>
    /// <param name="time">The clock certificates are issued and checked by.</param>
    /// <param name="logger">Where the node says it made a development CA, or that its certificate is unbound.</param>
    /// <param name="cancellationToken">Cancels the file work.</param>
    /// <exception cref="InvalidOperationException">When the files are missing (and may not be made), do not match, or the chain cannot sign.</exception>
    /// <exception cref="FormatException">When a file does not parse.</exception>
    public static async Task<C2paSigningIdentity> LoadOrCreateAsync(C2paCredentialLocation location, EthECKey nodeKey, ContractDomain? registryDomain,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        var keyExists = File.Exists(location.SigningKeyPath);
        var chainExists = File.Exists(location.ChainPath);
        if (!keyExists && !chainExists && location.DevelopmentFolder is { } folder)
        {
            await CreateDevelopmentAsync(location, folder, node, time, cancellationToken);
            LogDevelopmentCaMade(logger, node, Path.GetFullPath(Path.Combine(folder, DevelopmentCaFolder)));
        }
        else if (!keyExists || !chainExists)
        {
            throw new InvalidOperationException(
                $"The C2PA signing identity needs both a key (EdgeNode:Credentials:SigningKeyPath, '{location.SigningKeyPath}': {(keyExists ? "present" : "missing")}) " +
                $"and a chain (EdgeNode:Credentials:ChainPath, '{location.ChainPath}': {(chainExists ? "present" : "missing")}).");
        }

        var key = await CertificatePem.ReadPrivateKeyFileAsync(location.SigningKeyPath, cancellationToken);
        try
        {
            var chain = await CertificatePem.ReadChainFileAsync(location.ChainPath, cancellationToken);
            var development = IsDevelopmentRoot(location, chain[^1]);
            if (development && location.IsDue(chain[0], time.GetUtcNow()))
            {
                chain = await RenewDevelopmentChainAsync(location, key, chain[0], node, time, logger, cancellationToken) ?? chain;
            }
            else if (!development)
            {
                RefuseExpiredProviderCertificate(location, chain[0], time.GetUtcNow());
            }

            var root = await CheckAsync(location, key, chain, node, time, cancellationToken);
            development = IsDevelopmentRoot(location, root);
            if (!development)
            {
                WarnIfProviderCertificateDue(location, chain[0], node, time.GetUtcNow(), logger);
            }

            var binding = await BindAsync(location, chain[0], nodeKey, registryDomain, logger, cancellationToken);
            return new C2paSigningIdentity(key, chain, binding, node, development);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static async Task CreateDevelopmentAsync(C2paCredentialLocation location, string folder, EvmAddress node, TimeProvider time, CancellationToken cancellationToken)
    {
        SecretFile.CreateFolder(folder);
        using var authority = ProviderCertificateAuthority.Create($"Development provider of node {node.ToString()[..10]}", TimeSpan.FromDays(3650), time);
        await CredentialFolders.WriteAuthorityAsync(Path.Combine(folder, DevelopmentCaFolder), authority, cancellationToken);
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = authority.IssueNodeCertificate(node, signingKey, location.DevelopmentCertificateValidity, time);
        await CertificatePem.WritePrivateKeyAsync(location.SigningKeyPath, signingKey, cancellationToken);
        await SecretFile.CreateAsync(location.ChainPath, System.Text.Encoding.ASCII.GetBytes(CertificatePem.WriteChain([leaf, authority.Certificate])), cancellationToken);
    }

    /// <summary>Checks key, chain and node; returns the root the chain was checked against.</summary>
    private static async Task<X509Certificate2> CheckAsync(
        C2paCredentialLocation location, ECDsa key, IReadOnlyList<X509Certificate2> chain, EvmAddress node, TimeProvider time, CancellationToken cancellationToken)
    {
        var leaf = chain[0];
        using (var certified = leaf.GetECDsaPublicKey())
        {
            if (certified is null || !certified.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                throw new InvalidOperationException($"The C2PA signing key '{location.SigningKeyPath}' is not the key of the certificate '{leaf.Subject}' in '{location.ChainPath}'.");
            }
        }

        X509Certificate2 root;
        if (location.TrustAnchorPath is { } anchorPath)
        {
            root = (await CertificatePem.ReadChainFileAsync(anchorPath, cancellationToken))[0];
        }
        else if (chain[^1].SubjectName.RawData.AsSpan().SequenceEqual(chain[^1].IssuerName.RawData))
        {
            root = chain[^1];
        }
        else
        {
            throw new InvalidOperationException(
                $"The chain in '{location.ChainPath}' does not end in its root: name the root in EdgeNode:Credentials:TrustAnchorPath or append it to the chain.");
        }

        var faults = SigningChainChecker.Check(chain, root, time.GetUtcNow());
        if (faults.Count > 0)
        {
            throw new InvalidOperationException($"The C2PA signing chain in '{location.ChainPath}' cannot sign claims: {string.Join(" ", faults.Select(f => f.Message))}");
        }

        return NodeCertificateNames.NodeOf(leaf) is { } named && named != node
            ? throw new InvalidOperationException($"The C2PA signing certificate names node {named}; this node is {node}.")
            : root;
    }

    /// <summary>
    /// Renews a development identity whose certificate expires within <see cref="C2paCredentialLocation.RenewalWindow"/>: a new
    /// certificate from the same development CA for the same key, written over the chain file in one step, and bound again.
    /// </summary>
    /// <returns>The renewed identity; <c>null</c> when <paramref name="current"/> is not due, is a provider's, or the CA cannot issue a longer-lived certificate.</returns>
    /// <exception cref="InvalidOperationException">When the development CA has expired or its files are unreadable.</exception>
    public static async Task<C2paSigningIdentity?> RenewAsync(C2paSigningIdentity current, C2paCredentialLocation location, EthECKey nodeKey,
        ContractDomain? registryDomain, TimeProvider time, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(nodeKey);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        if (!current.IsDevelopment || location.DevelopmentFolder is null || !location.IsDue(current.Certificate, time.GetUtcNow()))
        {
            return null;
        }

        var chain = await RenewDevelopmentChainAsync(location, current.SigningKey, current.Certificate, current.Node, time, logger, cancellationToken);
        if (chain is null)
        {
            return null;
        }

        var root = await CheckAsync(location, current.SigningKey, chain, current.Node, time, cancellationToken);
        if (!IsDevelopmentRoot(location, root))
        {
            throw new InvalidOperationException($"The renewed chain in '{location.ChainPath}' does not end in the development CA.");
        }

        return current.Renewed(chain, await BindAsync(location, chain[0], nodeKey, registryDomain, logger, cancellationToken));
    }

    private static async Task<CertificateBinding?> BindAsync(
        C2paCredentialLocation location, X509Certificate2 leaf, EthECKey nodeKey, ContractDomain? registryDomain, ILogger logger, CancellationToken cancellationToken)
    {
        if (registryDomain is null)
        {
            LogUnbound(logger, EvmAddress.Parse(nodeKey.GetPublicAddress()));
            return null;
        }

        return await EnsureBindingAsync(location.BindingPath, leaf, nodeKey, registryDomain, cancellationToken);
    }

    private static async Task<CertificateBinding> EnsureBindingAsync(
        string path, X509Certificate2 leaf, EthECKey nodeKey, ContractDomain registryDomain, CancellationToken cancellationToken)
    {
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        if (new FileInfo(path) is { Exists: true, Length: <= 4096 })
        {
            try
            {
                var current = CertificateBinding.Parse(await File.ReadAllBytesAsync(path, cancellationToken));
                if (current.Verify(leaf, registryDomain) == node)
                {
                    return current;
                }
            }
            catch (InvalidCertificateBindingException)
            {
                // Stale (another certificate, registry or chain) or damaged: signed anew below.
            }
        }

        var binding = CertificateBinding.Sign(leaf, nodeKey, registryDomain);
        SecretFile.CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await SecretFile.ReplaceAsync(path, binding.ToJsonBytes(), cancellationToken);
        return binding;
    }

    private static bool IsDevelopmentRoot(C2paCredentialLocation location, X509Certificate2 root)
    {
        if (location.DevelopmentFolder is not { } folder)
        {
            return false;
        }

        var path = Path.Combine(folder, DevelopmentCaFolder, CredentialFolders.CaCertificateFile);
        return File.Exists(path) && File.ReadAllText(path).Contains(root.ExportCertificatePem(), StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Made a development C2PA CA in {Folder} and a signing certificate for node {Node}: readers trust neither. " +
        "For production, configure EdgeNode:Credentials with a key and a chain issued by the provider's CA (provenance credentials cert issue).")]
    private static partial void LogDevelopmentCaMade(ILogger logger, EvmAddress node, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The C2PA signing certificate of node {Node} is not bound to the node: no ModelRegistry is configured " +
        "(EdgeNode:Credentials:ModelRegistry or Payments:ModelRegistry) to sign the binding under.")]
    private static partial void LogUnbound(ILogger logger, EvmAddress node);
}
