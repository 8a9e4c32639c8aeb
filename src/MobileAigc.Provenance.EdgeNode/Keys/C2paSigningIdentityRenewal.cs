using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.Credentials.Certificates;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>The certificate's lifetime: renewing a development certificate, refusing or warning of a provider's.</summary>
public static partial class C2paSigningIdentityFiles
{
    /// <summary>
    /// Issues a new certificate for <paramref name="signingKey"/> from the development CA and writes the chain file anew;
    /// returns the chain as read back, or <c>null</c> when the CA's own expiry would not let the new certificate outlive the old.
    /// </summary>
    /// <remarks>
    /// The key is kept: only the chain file changes, and it is replaced by a rename, so a crash leaves the old chain or the
    /// new one, both of which match the key. The binding file is rewritten afterwards (a stale binding is re-signed at start).
    /// </remarks>
    private static async Task<IReadOnlyList<X509Certificate2>?> RenewDevelopmentChainAsync(C2paCredentialLocation location, ECDsa signingKey,
        X509Certificate2 expiring, EvmAddress node, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var caFolder = Path.Combine(location.DevelopmentFolder!, DevelopmentCaFolder);
        using var authority = await CredentialFolders.ReadAuthorityAsync(caFolder, cancellationToken);
        var now = time.GetUtcNow();
        var caEnd = new DateTimeOffset(authority.Certificate.NotAfter.ToUniversalTime());
        if (caEnd <= now)
        {
            throw new InvalidOperationException(
                $"The development C2PA CA in '{Path.GetFullPath(caFolder)}' expired at {caEnd:u}: it cannot renew the node's certificate. " +
                $"Delete '{Path.GetFullPath(location.DevelopmentFolder!)}' to make a new development CA at next start (readers must then trust the new one), " +
                "or configure a provider's key and chain in EdgeNode:Credentials.");
        }

        if (location.IsDue(authority.Certificate, now))
        {
            LogDevelopmentCaEnding(logger, node, caEnd, Path.GetFullPath(caFolder));
        }

        var oldEnd = new DateTimeOffset(expiring.NotAfter.ToUniversalTime());
        if (caEnd <= oldEnd)
        {
            // A certificate never outlives its CA: a new one would end when the old one does.
            return null;
        }

        using (var leaf = authority.IssueNodeCertificate(node, signingKey, location.DevelopmentCertificateValidity, time))
        {
            var pending = location.ChainPath + ".renewed";
            File.Delete(pending);
            await SecretFile.CreateAsync(pending, System.Text.Encoding.ASCII.GetBytes(CertificatePem.WriteChain([leaf, authority.Certificate])), cancellationToken);
            File.Move(pending, location.ChainPath, overwrite: true);
        }

        var chain = await CertificatePem.ReadChainFileAsync(location.ChainPath, cancellationToken);
        LogDevelopmentCertificateRenewed(logger, node, oldEnd, new DateTimeOffset(chain[0].NotAfter.ToUniversalTime()));
        return chain;
    }

    /// <summary>Throws when a provider's certificate has expired: the node never renews one, so it must not start signing with it.</summary>
    private static void RefuseExpiredProviderCertificate(C2paCredentialLocation location, X509Certificate2 leaf, DateTimeOffset now)
    {
        if (new DateTimeOffset(leaf.NotAfter.ToUniversalTime()) <= now)
        {
            throw new C2paSigningUnavailableException(ProviderCertificateExpired(location, leaf));
        }
    }

    /// <summary>What the node says of a provider's certificate that has expired: that it will not renew it, and what to do.</summary>
    internal static string ProviderCertificateExpired(C2paCredentialLocation location, X509Certificate2 leaf) =>
        $"The C2PA signing certificate '{leaf.Subject}' in '{location.ChainPath}' expired at {leaf.NotAfter.ToUniversalTime():u}. " +
        "It was issued by the provider's CA, so the node does not renew it: have the provider issue a new one " +
        "(provenance credentials cert issue), replace the chain (EdgeNode:Credentials:ChainPath) and restart the node.";

    /// <summary>Warns when a provider's certificate expires within the renewal window.</summary>
    internal static void WarnIfProviderCertificateDue(C2paCredentialLocation location, X509Certificate2 leaf, EvmAddress node, DateTimeOffset now, ILogger logger)
    {
        if (location.IsDue(leaf, now))
        {
            LogProviderCertificateEnding(logger, node, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), location.ChainPath);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Renewed the development C2PA signing certificate of node {Node} (it ended {OldNotAfter:u}; the new one ends {NewNotAfter:u}) from the same development CA.")]
    private static partial void LogDevelopmentCertificateRenewed(ILogger logger, EvmAddress node, DateTimeOffset oldNotAfter, DateTimeOffset newNotAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The development C2PA CA of node {Node} in {Folder} itself expires at {NotAfter:u}: certificates it renews end then. " +
        "Delete the development folder to make a new CA at next start, or configure a provider's key and chain.")]
    private static partial void LogDevelopmentCaEnding(ILogger logger, EvmAddress node, DateTimeOffset notAfter, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "The C2PA signing certificate of node {Node} ({ChainPath}) expires at {NotAfter:u}. It is the provider's: the node will not renew it and stops " +
        "signing Content Credentials once it expires. Have the provider issue a new certificate (provenance credentials cert issue) and replace the chain.")]
    internal static partial void LogProviderCertificateEnding(ILogger logger, EvmAddress node, DateTimeOffset notAfter, string chainPath);
}
