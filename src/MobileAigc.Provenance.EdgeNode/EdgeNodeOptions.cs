using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Credentials.Certificates;
using MobileAigc.Provenance.EdgeNode.Keys;

namespace MobileAigc.Provenance.EdgeNode;

/// <summary>How one edge node runs: where its data, models and secrets are and which ledger contract it signs for.</summary>
public sealed class EdgeNodeOptions
{
    /// <summary>The configuration section: <c>EdgeNode</c>.</summary>
    public const string Section = "EdgeNode";

    /// <summary>The environment variable that holds the keystore passphrase when no passphrase file is set.</summary>
    public const string PassphraseVariable = NodeSecrets.PassphraseVariable;

    /// <summary>The node's own folder: outbox, keystore, watermark key, provider key; created with mode 0700. Default: <c>data/edge</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = Path.Combine("data", "edge");

    /// <summary>The folder of model folders (each with <c>manifest.json</c> and <c>model.onnx</c>). Default: <c>models</c>.</summary>
    [Required]
    public string ModelsDirectory { get; set; } = "models";

    /// <summary>The encrypted node keystore (Web3 Secret Storage). Default: <c>null</c>, meaning <c>node-keystore.json</c> in <see cref="DataDirectory"/>.</summary>
    public string? KeystorePath { get; set; }

    /// <summary>
    /// A file holding the keystore passphrase (for secrets mounted by an orchestrator). Default:
    /// <c>null</c>, meaning the <see cref="PassphraseVariable"/> environment variable. Never put the passphrase in configuration.
    /// </summary>
    public string? PassphraseFile { get; set; }

    /// <summary>Create a new node key when the keystore does not exist yet. Default: true.</summary>
    public bool CreateKeystoreIfMissing { get; set; } = true;

    /// <summary>The watermark key file (64 hex digits, owner-only). Default: <c>null</c>, meaning <c>watermark.key</c> in <see cref="DataDirectory"/>; created when missing.</summary>
    public string? WatermarkKeyPath { get; set; }

    /// <summary>
    /// The watermark key enrollment file: the key with the node's signed claim to it, which the node's operator
    /// hands to the ledger operator (<c>Ledger:Verification:WatermarkEnrollmentFiles</c>). Default: <c>null</c>,
    /// meaning <c>watermark-enrollment.json</c> in <see cref="DataDirectory"/>; written at start when missing or stale.
    /// </summary>
    public string? WatermarkEnrollmentPath { get; set; }

    /// <summary>
    /// The provider key file: the secret that <c>v1/earnings</c>, <c>v1/channels/{id}</c> and
    /// <c>v1/node/held</c> require as a bearer token. Default: <c>null</c>, meaning <c>provider.key</c>
    /// in <see cref="DataDirectory"/>; a random key is created there (mode 0600) when missing.
    /// </summary>
    public string? ProviderKeyPath { get; set; }

    /// <summary>The node's C2PA signing identity: key, certificate chain and binding (<c>EdgeNode:Credentials</c>).</summary>
    public C2paCredentialOptions Credentials { get; set; } = new();

    /// <summary>
    /// A deployment file (<c>provenance deploy</c> writes one) that fills <see cref="ChainId"/>, <see cref="ProvenanceLedger"/>,
    /// <c>Credentials:ModelRegistry</c>, <c>Payments:ModelRegistry</c> and <c>Payments:PaymentChannels</c>; any of them also set
    /// explicitly must agree with it, else the host refuses to start. Default: <c>null</c>, meaning those settings alone.
    /// </summary>
    public string? DeploymentFile { get; set; }

    /// <summary>The chain id of the ledger contract (EIP-712 domain). Default: 31337 (a local anvil).</summary>
    [Range(1, long.MaxValue)]
    public long ChainId { get; set; } = 31337;

    /// <summary>The <c>ProvenanceLedger</c> contract address records are signed for (EIP-712 domain). Required.</summary>
    [Required]
    [RegularExpression("^0x[0-9a-fA-F]{40}$", ErrorMessage = "ProvenanceLedger must be a 0x-prefixed 20-byte address.")]
    public string ProvenanceLedger { get; set; } = "";

    /// <summary>
    /// The ledger's public base URL, written into every picture's Content Credentials so that a reader of the file
    /// finds the record's proof (absolute http or https). Default: <c>null</c>; the host then uses
    /// <c>Ledger:BaseAddress</c>, and a node with neither writes no URL.
    /// </summary>
    public Uri? LedgerUrl { get; set; }

    /// <summary>The keystore path in effect.</summary>
    public string EffectiveKeystorePath => KeystorePath ?? Path.Combine(DataDirectory, "node-keystore.json");

    /// <summary>The watermark key path in effect.</summary>
    public string EffectiveWatermarkKeyPath => WatermarkKeyPath ?? Path.Combine(DataDirectory, "watermark.key");

    /// <summary>The watermark key enrollment path in effect.</summary>
    public string EffectiveWatermarkEnrollmentPath => WatermarkEnrollmentPath ?? Path.Combine(DataDirectory, "watermark-enrollment.json");

    /// <summary>The provider key path in effect.</summary>
    public string EffectiveProviderKeyPath => ProviderKeyPath ?? Path.Combine(DataDirectory, "provider.key");

    /// <summary>Where the node's secrets are, as these options set them.</summary>
    public NodeSecretsLocation Secrets => new(EffectiveKeystorePath, EffectiveWatermarkKeyPath, PassphraseFile, CreateKeystoreIfMissing);

    /// <summary>The folder of the default C2PA credential files: <c>c2pa</c> in <see cref="DataDirectory"/>.</summary>
    public string C2paDirectory => Path.Combine(DataDirectory, "c2pa");

    /// <summary>Where the node's C2PA signing identity is, as these options set it.</summary>
    public C2paCredentialLocation C2paCredentials => new(
        Credentials.SigningKeyPath ?? Path.Combine(C2paDirectory, CredentialFolders.SigningKeyFile),
        Credentials.ChainPath ?? Path.Combine(C2paDirectory, CredentialFolders.ChainFile),
        Credentials.TrustAnchorPath,
        Credentials.BindingPath ?? Path.Combine(C2paDirectory, CredentialFolders.BindingFile),
        DevelopmentFolder: Credentials.CreateDevelopmentCredentials && Credentials.SigningKeyPath is null && Credentials.ChainPath is null ? C2paDirectory : null,
        TimeSpan.FromDays(Credentials.DevelopmentCertificateDays),
        TimeSpan.FromDays(Credentials.CertificateRenewalDays));

    /// <summary>The outbox database path.</summary>
    public string OutboxPath => Path.Combine(DataDirectory, "outbox.db");

    /// <summary>The payments database path: accepted vouchers and settlements.</summary>
    public string PaymentsPath => Path.Combine(DataDirectory, "payments.db");
}
