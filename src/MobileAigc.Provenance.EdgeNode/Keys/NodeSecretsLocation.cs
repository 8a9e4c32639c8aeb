namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>Where the node's secrets live and whether a missing keystore may be created.</summary>
/// <param name="KeystorePath">The encrypted keystore of the node's signing key.</param>
/// <param name="WatermarkKeyPath">The watermark key file (64 hex digits), created when missing.</param>
/// <param name="PassphraseFile">A file holding the keystore passphrase; <c>null</c> for the <see cref="NodeSecrets.PassphraseVariable"/> environment variable.</param>
/// <param name="CreateKeystoreIfMissing">Whether a missing keystore is created with a new key.</param>
public readonly record struct NodeSecretsLocation(string KeystorePath, string WatermarkKeyPath, string? PassphraseFile, bool CreateKeystoreIfMissing);
