using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.EdgeNode.ContentCredentials;
using MobileAigc.Provenance.EdgeNode.Evidence;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MobileAigc.Provenance.EdgeNode;

/// <summary>
/// One running edge node: its secrets, its models, its outbox and the generator that ties them
/// together. The HTTP host and the CLI both start a node through <c>OpenAsync</c>.
/// </summary>
public sealed class EdgeNodeRuntime : IDisposable
{
    private EdgeNodeRuntime(
        NodeSecrets secrets, ProviderKey providerKey, C2paSigningIdentityKeeper c2paIdentities, ModelCatalog catalog, RecordOutbox outbox, ProvenanceRecordIssuer issuer,
        ImageCredentialWriter credentials)
    {
        Secrets = secrets;
        C2paIdentities = c2paIdentities;
        ProviderKey = providerKey;
        Catalog = catalog;
        Outbox = outbox;
        Evidence = new EvidenceStore(outbox);
        Issuer = issuer;
        Generator = new ContentGenerator(catalog, secrets.WatermarkKey, issuer, credentials);
        Creators = new CreatorAuthenticator(issuer);
    }

    /// <summary>The node's signing and watermark keys.</summary>
    public NodeSecrets Secrets { get; }

    /// <summary>The P-256 key, certificate chain and binding the node signs its C2PA manifests with now.</summary>
    public C2paSigningIdentity C2paIdentity => C2paIdentities.Current;

    /// <summary>Keeps <see cref="C2paIdentity"/> current: renews a development certificate, refuses an expired provider's.</summary>
    public C2paSigningIdentityKeeper C2paIdentities { get; }

    /// <summary>The key that opens the provider-only reads.</summary>
    public ProviderKey ProviderKey { get; }

    /// <summary>The node's address: the signer of its records.</summary>
    public EvmAddress Node => Issuer.Node;

    /// <summary>The served models.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The durable outbox of signed records.</summary>
    public RecordOutbox Outbox { get; }

    /// <summary>The checked evidence of the node's anchored records, kept in the outbox's file.</summary>
    public EvidenceStore Evidence { get; }

    /// <summary>Numbers, signs and stores records.</summary>
    public ProvenanceRecordIssuer Issuer { get; }

    /// <summary>Generates content with its records.</summary>
    public ContentGenerator Generator { get; }

    /// <summary>Checks who a request may name as its creator.</summary>
    public CreatorAuthenticator Creators { get; }

    /// <summary>Opens a node as <see cref="OpenAsync(EdgeNodeOptions, TimeProvider, ILogger, C2paClaimSignerFactory, CancellationToken)"/> does, logging nowhere.</summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    public static Task<EdgeNodeRuntime> OpenAsync(EdgeNodeOptions options, TimeProvider time, CancellationToken cancellationToken = default) =>
        OpenAsync(options, time, NullLogger.Instance, null, cancellationToken);

    /// <summary>Opens a node as <see cref="OpenAsync(EdgeNodeOptions, TimeProvider, ILogger, C2paClaimSignerFactory, CancellationToken)"/> does, signing claims with its own key.</summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    /// <exception cref="InvalidOperationException">When the C2PA signing identity is missing or cannot sign.</exception>
    public static Task<EdgeNodeRuntime> OpenAsync(EdgeNodeOptions options, TimeProvider time, ILogger logger, CancellationToken cancellationToken = default) =>
        OpenAsync(options, time, logger, null, cancellationToken);

    /// <summary>
    /// Validates the options, opens the secrets and the C2PA signing identity (made on development
    /// defaults at first start), keeps the watermark key enrollment current, loads the models and opens the outbox.
    /// </summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    /// <param name="options">The node's options.</param>
    /// <param name="time">The clock of records, certificates and their renewal.</param>
    /// <param name="logger">Where the node tells what it made, renewed or warns of.</param>
    /// <param name="claimSigner">Makes the C2PA claim signer of the signing identity; <c>null</c> for its own key (<see cref="ImageCredentialWriter.OwnKey"/>).</param>
    /// <param name="cancellationToken">Cancels the opening.</param>
    /// <exception cref="InvalidOperationException">When the C2PA signing identity is missing or cannot sign.</exception>
    public static async Task<EdgeNodeRuntime> OpenAsync(
        EdgeNodeOptions options, TimeProvider time, ILogger logger, C2paClaimSignerFactory? claimSigner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        Validator.ValidateObject(options.Credentials, new ValidationContext(options.Credentials), validateAllProperties: true);
        // The data folder holds secrets: created owner-only before anything is written in it.
        SecretFile.CreateFolder(options.DataDirectory);
        var secrets = await NodeSecrets.LoadAsync(options.Secrets, cancellationToken);
        var providerKey = await ProviderKey.LoadOrCreateAsync(options.EffectiveProviderKeyPath, cancellationToken);
        var registry = options.Credentials.ModelRegistry is { } address ? ContractDomain.ForModelRegistry(options.ChainId, EvmAddress.Parse(address)) : null;
        var c2pa = new C2paSigningIdentityKeeper(
            await C2paSigningIdentityFiles.LoadOrCreateAsync(options.C2paCredentials, secrets.SigningKey, registry, time, logger, cancellationToken),
            options.C2paCredentials, secrets.SigningKey, registry, time, logger);
        ModelCatalog? catalog = null;
        RecordOutbox? outbox = null;
        try
        {
            catalog = ModelCatalog.Load(options.ModelsDirectory);
            var node = EvmAddress.Parse(secrets.SigningKey.GetPublicAddress());
            var domain = ContractDomain.ForProvenanceLedger(options.ChainId, EvmAddress.Parse(options.ProvenanceLedger));
            await WatermarkEnrollmentFile.EnsureAsync(options.EffectiveWatermarkEnrollmentPath, secrets, domain, time, cancellationToken);
            outbox = RecordOutbox.Open(options.OutboxPath, node);
            var issuer = new ProvenanceRecordIssuer(secrets.SigningKey, domain, outbox, time);
            return new EdgeNodeRuntime(secrets, providerKey, c2pa, catalog, outbox, issuer, new ImageCredentialWriter(c2pa, issuer, options.LedgerUrl, time, claimSigner));
        }
        catch
        {
            outbox?.Dispose();
            catalog?.Dispose();
            c2pa.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Outbox.Dispose();
        Catalog.Dispose();
        C2paIdentities.Dispose();
    }
}
