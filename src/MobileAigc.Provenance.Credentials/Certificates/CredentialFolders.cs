using System.Security.Cryptography.X509Certificates;
using System.Text;
using MobileAigc.Provenance.Core.Secrets;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// The file layout of a CA folder (<c>ca.pem</c>, <c>ca.key.pem</c>) and of a node's credential folder
/// (<c>signing.key.pem</c>, <c>chain.pem</c>, <c>binding.json</c>), shared by the CLI and the edge node so
/// that what one writes the other reads. Folders are created 0700 and keys 0600.
/// </summary>
public static class CredentialFolders
{
    /// <summary>The CA certificate in a CA folder.</summary>
    public const string CaCertificateFile = "ca.pem";

    /// <summary>The CA private key in a CA folder.</summary>
    public const string CaKeyFile = "ca.key.pem";

    /// <summary>The node's P-256 signing key in its credential folder.</summary>
    public const string SigningKeyFile = "signing.key.pem";

    /// <summary>The node's certificate chain (leaf first) in its credential folder.</summary>
    public const string ChainFile = "chain.pem";

    /// <summary>The node key's binding of the certificate in its credential folder.</summary>
    public const string BindingFile = "binding.json";

    /// <summary>Writes the CA's certificate and key into <paramref name="folder"/>; never overwrites.</summary>
    /// <exception cref="IOException">When either file exists already.</exception>
    public static async Task WriteAuthorityAsync(string folder, ProviderCertificateAuthority authority, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(authority);
        SecretFile.CreateFolder(folder);
        RefuseExisting(Path.Combine(folder, CaCertificateFile), Path.Combine(folder, CaKeyFile));
        await CertificatePem.WritePrivateKeyAsync(Path.Combine(folder, CaKeyFile), authority.Key, cancellationToken);
        await WriteNewAsync(Path.Combine(folder, CaCertificateFile), CertificatePem.WriteChain([authority.Certificate]), cancellationToken);
    }

    /// <summary>The CA in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">When a file is missing.</exception>
    /// <exception cref="FormatException">When a file does not parse.</exception>
    /// <exception cref="ArgumentException">When the certificate is no CA or the key is not its key.</exception>
    public static async Task<ProviderCertificateAuthority> ReadAuthorityAsync(string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var certificate = (await CertificatePem.ReadChainFileAsync(Path.Combine(folder, CaCertificateFile), cancellationToken))[0];
        var key = await CertificatePem.ReadPrivateKeyFileAsync(Path.Combine(folder, CaKeyFile), cancellationToken);
        try
        {
            return ProviderCertificateAuthority.FromKey(certificate, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>Writes a node's signing key, chain and (when given) binding into <paramref name="folder"/>; never overwrites.</summary>
    /// <exception cref="IOException">When a file exists already.</exception>
    public static async Task WriteNodeAsync(string folder, System.Security.Cryptography.ECDsa signingKey, IReadOnlyList<X509Certificate2> chain,
        CertificateBinding? binding, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(chain);
        SecretFile.CreateFolder(folder);
        RefuseExisting(Path.Combine(folder, SigningKeyFile), Path.Combine(folder, ChainFile), Path.Combine(folder, BindingFile));
        await CertificatePem.WritePrivateKeyAsync(Path.Combine(folder, SigningKeyFile), signingKey, cancellationToken);
        await WriteNewAsync(Path.Combine(folder, ChainFile), CertificatePem.WriteChain(chain), cancellationToken);
        if (binding is not null)
        {
            await SecretFile.CreateAsync(Path.Combine(folder, BindingFile), binding.ToJsonBytes(), cancellationToken);
        }
    }

    // Checked before anything is written, so a refused call leaves no half-written folder.
    private static void RefuseExisting(params string[] paths)
    {
        foreach (var path in paths.Where(File.Exists))
        {
            throw new IOException($"'{Path.GetFullPath(path)}' exists already; it is never overwritten.");
        }
    }

    private static async Task WriteNewAsync(string path, string text, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        await file.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken);
    }
}
