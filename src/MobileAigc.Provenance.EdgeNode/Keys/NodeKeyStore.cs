using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using Nethereum.KeyStore;
using Nethereum.KeyStore.Crypto;
using Nethereum.KeyStore.Model;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// The node's secp256k1 signing key in an encrypted keystore file (Web3 Secret Storage, scrypt),
/// the format geth and every Ethereum wallet read. The key exists in clear only in memory.
/// </summary>
public static class NodeKeyStore
{
    /// <summary>The shortest passphrase accepted: 12 characters.</summary>
    public const int MinPassphraseLength = 12;

    /// <summary>Creates a new key, writes it encrypted to <paramref name="path"/> (owner read/write only) and returns it.</summary>
    /// <exception cref="ArgumentException">When the passphrase is shorter than <see cref="MinPassphraseLength"/>.</exception>
    /// <exception cref="IOException">When the file exists already: an existing key is never overwritten.</exception>
    public static async Task<EthECKey> CreateAsync(string path, string passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        EnsurePassphrase(passphrase);
        if (File.Exists(path))
        {
            throw new IOException($"A keystore already exists at '{path}'; refusing to overwrite a node key.");
        }

        var key = EthECKey.GenerateKey();
        var json = new KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson(
            passphrase, key.GetPrivateKeyAsBytes(), key.GetPublicAddress(), new ScryptParams { Dklen = 32, N = 1 << 15, R = 8, P = 1 });
        await SecretFile.CreateAsync(path, Encoding.UTF8.GetBytes(json), cancellationToken);
        return key;
    }

    /// <summary>Decrypts the key in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">When there is no keystore at the path.</exception>
    /// <exception cref="InvalidKeystoreException">When the file is not a keystore or the passphrase is wrong.</exception>
    public static async Task<EthECKey> LoadAsync(string path, string passphrase, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(passphrase);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No node keystore at '{path}'.", path);
        }

        var json = await File.ReadAllTextAsync(path, cancellationToken);
        byte[] privateKey;
        try
        {
            privateKey = new KeyStoreService().DecryptKeyStoreFromJson(passphrase, json);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Nethereum reports a malformed file with plain exceptions of several kinds; only a
            // DecryptionException means the file was a keystore and the passphrase was wrong.
            throw new InvalidKeystoreException(e is DecryptionException
                ? $"Wrong passphrase for the keystore '{path}'."
                : $"'{path}' is not a Web3 Secret Storage keystore.", e);
        }

        return new EthECKey(privateKey, isPrivate: true);
    }

    /// <summary>The address a keystore file declares, without decrypting it.</summary>
    /// <exception cref="InvalidKeystoreException">When the file is not a keystore.</exception>
    public static EvmAddress ReadAddress(string path)
    {
        try
        {
            var address = new KeyStoreService().GetAddressFromKeyStore(File.ReadAllText(path));
            return EvmAddress.Parse(address.StartsWith("0x", StringComparison.Ordinal) ? address : "0x" + address);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or IOException or UnauthorizedAccessException))
        {
            throw new InvalidKeystoreException($"'{path}' is not a Web3 Secret Storage keystore.", e);
        }
    }

    private static void EnsurePassphrase(string passphrase)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        if (passphrase.Length < MinPassphraseLength)
        {
            throw new ArgumentException($"A keystore passphrase needs at least {MinPassphraseLength} characters.", nameof(passphrase));
        }
    }
}

/// <summary>A keystore that cannot be opened: not a keystore, or the wrong passphrase.</summary>
public sealed class InvalidKeystoreException(string message, Exception innerException) : Exception(message, innerException);
