using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MobileAigc.Provenance.Core.Secrets;

namespace MobileAigc.Provenance.Credentials.Certificates;

/// <summary>
/// PEM files of certificate chains (leaf first, one <c>CERTIFICATE</c> block each) and of EC private
/// keys (PKCS#8 <c>PRIVATE KEY</c>; SEC 1 <c>EC PRIVATE KEY</c> is read too). Keys are written owner-only
/// through <see cref="SecretFile"/>. Reads are bounded: a chain file of at most
/// <see cref="MaxFileBytes"/> bytes and <see cref="MaxChainLength"/> certificates.
/// </summary>
public static class CertificatePem
{
    /// <summary>The largest PEM file read: 256 KiB.</summary>
    public const int MaxFileBytes = 256 * 1024;

    /// <summary>The most certificates a chain may hold: 8.</summary>
    public const int MaxChainLength = 8;

    /// <summary>The certificates in <paramref name="pem"/>, in file order.</summary>
    /// <exception cref="FormatException">When the text holds no certificate, too many, or one that does not parse.</exception>
    public static IReadOnlyList<X509Certificate2> ReadChain(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var chain = new List<X509Certificate2>();
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label];
            if (label.SequenceEqual("CERTIFICATE"))
            {
                if (chain.Count == MaxChainLength)
                {
                    throw new FormatException($"The chain holds more than {MaxChainLength} certificates.");
                }

                chain.Add(Parse(Convert.FromBase64String(rest.Span[fields.Base64Data].ToString()), chain.Count));
            }

            rest = rest[fields.Location.End..];
        }

        return chain.Count > 0 ? chain : throw new FormatException("The text holds no PEM CERTIFICATE block.");
    }

    /// <summary>The chain in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file is missing.</exception>
    /// <exception cref="FormatException">As <see cref="ReadChain"/>, or when the file is larger than <see cref="MaxFileBytes"/>.</exception>
    public static async Task<IReadOnlyList<X509Certificate2>> ReadChainFileAsync(string path, CancellationToken cancellationToken = default) =>
        ReadChain(await ReadBoundedAsync(path, cancellationToken));

    /// <summary>The chain as PEM text, leaf first.</summary>
    public static string WriteChain(IEnumerable<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var text = new StringBuilder();
        foreach (var certificate in chain)
        {
            text.Append(certificate.ExportCertificatePem()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The EC private key in <paramref name="pem"/>.</summary>
    /// <exception cref="FormatException">When the text holds no EC private key (an RSA key, an encrypted key, no key).</exception>
    public static ECDsa ReadPrivateKey(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"No unencrypted EC private key (PEM PRIVATE KEY or EC PRIVATE KEY) could be read: {e.Message}", e);
        }
    }

    /// <summary>The EC private key in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When the file is missing.</exception>
    /// <exception cref="FormatException">As <see cref="ReadPrivateKey"/>.</exception>
    public static async Task<ECDsa> ReadPrivateKeyFileAsync(string path, CancellationToken cancellationToken = default) =>
        ReadPrivateKey(await ReadBoundedAsync(path, cancellationToken));

    /// <summary>Writes <paramref name="key"/> as PKCS#8 PEM to a new file of mode 0600 (folders 0700); never overwrites.</summary>
    /// <exception cref="IOException">When the file exists already.</exception>
    public static Task WritePrivateKeyAsync(string path, ECDsa key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretFile.CreateAsync(path, Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem() + "\n"), cancellationToken);
    }

    private static X509Certificate2 Parse(byte[] der, int index)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"Certificate {index + 1} of the chain does not parse: {e.Message}", e);
        }
    }

    private static async Task<string> ReadBoundedAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"No file at '{file.FullName}'.", file.FullName);
        }

        return file.Length <= MaxFileBytes
            ? await File.ReadAllTextAsync(file.FullName, cancellationToken)
            : throw new FormatException($"'{file.FullName}' has {file.Length} bytes; a PEM file here has at most {MaxFileBytes}.");
    }
}
