using Nethereum.KeyStore;
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
        if (!keystore.Exists)
        {
            throw new FileNotFoundException($"No keystore at '{keystore.FullName}'.");
        }

        if (!passphraseFile.Exists)
        {
            throw new FileNotFoundException($"No passphrase file at '{passphraseFile.FullName}'.");
        }

        var passphrase = File.ReadAllText(passphraseFile.FullName).TrimEnd('\r', '\n');
        try
        {
            return new EthECKey(new KeyStoreService().DecryptKeyStoreFromJson(passphrase, File.ReadAllText(keystore.FullName)), isPrivate: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not IOException)
        {
            throw new ArgumentException($"Cannot open the keystore '{keystore.FullName}': wrong passphrase or not a keystore.", e);
        }
    }
}
