using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.Watermarking;
using Nethereum.Signer;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>The node's two secrets: its signing key and its watermark key.</summary>
/// <param name="SigningKey">The secp256k1 key records are signed with.</param>
/// <param name="WatermarkKey">The key that places and reads the node's watermarks.</param>
public sealed record NodeSecrets(EthECKey SigningKey, WatermarkKey WatermarkKey)
{
    /// <summary>The environment variable that holds the keystore passphrase when no passphrase file is named.</summary>
    public const string PassphraseVariable = "EDGE_NODE_PASSPHRASE";

    /// <summary>
    /// Opens (or, when allowed, creates) the keystore with the passphrase from the passphrase file
    /// or the environment, and reads (or creates) the watermark key file.
    /// </summary>
    /// <exception cref="InvalidOperationException">When no passphrase is configured, or the keystore is missing and may not be created.</exception>
    /// <exception cref="InvalidKeystoreException">When the keystore cannot be opened with the passphrase.</exception>
    /// <exception cref="FormatException">When the watermark key file is not 64 hex digits.</exception>
    public static async Task<NodeSecrets> LoadAsync(NodeSecretsLocation location, CancellationToken cancellationToken = default)
    {
        var passphrase = location.PassphraseFile is { } file
            ? (await File.ReadAllTextAsync(file, cancellationToken)).TrimEnd('\r', '\n')
            : Environment.GetEnvironmentVariable(PassphraseVariable)
              ?? throw new InvalidOperationException($"No keystore passphrase: set {PassphraseVariable} or name a passphrase file.");

        var keystore = location.KeystorePath;
        EthECKey signingKey;
        if (File.Exists(keystore))
        {
            signingKey = await NodeKeyStore.LoadAsync(keystore, passphrase, cancellationToken);
        }
        else if (location.CreateKeystoreIfMissing)
        {
            signingKey = await NodeKeyStore.CreateAsync(keystore, passphrase, cancellationToken);
        }
        else
        {
            throw new InvalidOperationException($"No node keystore at '{keystore}' and creating one is disabled.");
        }

        return new NodeSecrets(signingKey, await LoadOrCreateWatermarkKeyAsync(location.WatermarkKeyPath, cancellationToken));
    }

    private static async Task<WatermarkKey> LoadOrCreateWatermarkKeyAsync(string path, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return WatermarkKey.Parse((await File.ReadAllTextAsync(path, cancellationToken)).Trim());
        }

        var key = WatermarkKey.Generate();
        await SecretFile.CreateAsync(path, System.Text.Encoding.ASCII.GetBytes(key.ToHex() + "\n"), cancellationToken);
        return key;
    }
}
