using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>An encrypted keystore (Web3 Secret Storage JSON) opened with the passphrase kept in a file, never given on the command line.</summary>
internal static class KeystoreFile
{
    /// <summary>The key in <paramref name="keystore"/>.</summary>
    /// <exception cref="FileNotFoundException">When either file is missing.</exception>
    /// <exception cref="ArgumentException">When the passphrase is wrong or the file is not a keystore.</exception>
    public static EthECKey Decrypt(FileInfo keystore, FileInfo passphraseFile)
    {
        ArgumentNullException.ThrowIfNull(passphraseFile);
        return Open(keystore, passphraseFile);
    }

    /// <summary>
    /// The key in <paramref name="keystore"/>, its passphrase read from <paramref name="passphraseFile"/> or,
    /// when that is null, asked for on the terminal (<see cref="Passphrase"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">When either file is missing.</exception>
    /// <exception cref="ArgumentException">When the passphrase is wrong, the file is not a keystore, or there is no terminal to ask on.</exception>
    public static EthECKey Open(FileInfo keystore, FileInfo? passphraseFile)
    {
        ArgumentNullException.ThrowIfNull(keystore);
        if (!keystore.Exists)
        {
            throw new FileNotFoundException($"No keystore at '{keystore.FullName}'.");
        }

        var passphrase = Passphrase.Read(passphraseFile, keystore.Name);
        try
        {
            return new EthECKey(new KeyStoreService().DecryptKeyStoreFromJson(passphrase, File.ReadAllText(keystore.FullName)), isPrivate: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not IOException)
        {
            throw new ArgumentException($"Cannot open the keystore '{keystore.FullName}': wrong passphrase or not a keystore.", e);
        }
    }

    /// <summary>The address a keystore names, read without its passphrase.</summary>
    /// <exception cref="FileNotFoundException">When the file is missing.</exception>
    /// <exception cref="FormatException">When the file is not a keystore naming a valid address.</exception>
    public static EvmAddress AddressOf(FileInfo keystore)
    {
        ArgumentNullException.ThrowIfNull(keystore);
        if (!keystore.Exists)
        {
            throw new FileNotFoundException($"No keystore at '{keystore.FullName}'.");
        }

        string? address;
        try
        {
            address = new KeyStoreService().GetAddressFromKeyStore(File.ReadAllText(keystore.FullName));
        }
        catch (Exception e) when (e is not OutOfMemoryException and not IOException)
        {
            throw new FormatException($"'{keystore.FullName}' is not a keystore (Web3 Secret Storage JSON).", e);
        }

        var text = address is null ? null : address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? address : "0x" + address;
        return EvmAddress.TryParse(text, out var parsed)
            ? parsed
            : throw new FormatException($"'{keystore.FullName}' names no valid address (got '{address}').");
    }

    /// <summary>
    /// Writes <paramref name="key"/> encrypted under <paramref name="passphrase"/> to a new file at <paramref name="path"/>
    /// (mode 0600, never over an existing file). Scrypt costs geth's standard parameters (N = 2^18, about a second and
    /// 256 MiB to open) or, with <paramref name="lightKdf"/>, geth's light ones (N = 2^12) for throwaway test keys.
    /// </summary>
    /// <exception cref="IOException">When a file exists at <paramref name="path"/>.</exception>
    public static async Task CreateAsync(string path, EthECKey key, string passphrase, bool lightKdf, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (File.Exists(path))
        {
            throw new IOException($"A file exists at '{Path.GetFullPath(path)}' already; a keystore is never overwritten.");
        }

        var parameters = lightKdf
            ? new ScryptParams { Dklen = 32, N = 1 << 12, R = 8, P = 6 }
            : new ScryptParams { Dklen = 32, N = 1 << 18, R = 8, P = 1 };
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(passphrase, key.GetPrivateKeyAsBytes(), key.GetPublicAddress(), parameters);
        await SecretFile.CreateAsync(path, System.Text.Encoding.UTF8.GetBytes(json), cancellationToken);
    }
}
