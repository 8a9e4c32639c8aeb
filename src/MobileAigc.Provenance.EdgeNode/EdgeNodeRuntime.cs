using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Keys;
using MobileAigc.Provenance.EdgeNode.Outbox;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.EdgeNode;

/// <summary>
/// One running edge node: its secrets, its models, its outbox and the generator that ties them
/// together. The HTTP host and the CLI both start a node through <see cref="OpenAsync"/>.
/// </summary>
public sealed class EdgeNodeRuntime : IDisposable
{
    private EdgeNodeRuntime(NodeSecrets secrets, ProviderKey providerKey, ModelCatalog catalog, RecordOutbox outbox, ProvenanceRecordIssuer issuer)
    {
        Secrets = secrets;
        ProviderKey = providerKey;
        Catalog = catalog;
        Outbox = outbox;
        Issuer = issuer;
        Generator = new ContentGenerator(catalog, secrets.WatermarkKey, issuer);
        Creators = new CreatorAuthenticator(issuer);
    }

    /// <summary>The node's signing and watermark keys.</summary>
    public NodeSecrets Secrets { get; }

    /// <summary>The key that opens the provider-only reads.</summary>
    public ProviderKey ProviderKey { get; }

    /// <summary>The node's address: the signer of its records.</summary>
    public EvmAddress Node => Issuer.Node;

    /// <summary>The served models.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The durable outbox of signed records.</summary>
    public RecordOutbox Outbox { get; }

    /// <summary>Numbers, signs and stores records.</summary>
    public ProvenanceRecordIssuer Issuer { get; }

    /// <summary>Generates content with its records.</summary>
    public ContentGenerator Generator { get; }

    /// <summary>Checks who a request may name as its creator.</summary>
    public CreatorAuthenticator Creators { get; }

    /// <summary>Validates the options, opens the secrets, keeps the watermark key enrollment current, loads the models and opens the outbox.</summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    public static async Task<EdgeNodeRuntime> OpenAsync(EdgeNodeOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        // The data folder holds secrets: created owner-only before anything is written in it.
        SecretFile.CreateFolder(options.DataDirectory);
        var secrets = await NodeSecrets.LoadAsync(options.Secrets, cancellationToken);
        var providerKey = await ProviderKey.LoadOrCreateAsync(options.EffectiveProviderKeyPath, cancellationToken);
        var catalog = ModelCatalog.Load(options.ModelsDirectory);
        try
        {
            var node = EvmAddress.Parse(secrets.SigningKey.GetPublicAddress());
            var domain = ContractDomain.ForProvenanceLedger(options.ChainId, EvmAddress.Parse(options.ProvenanceLedger));
            await WatermarkEnrollmentFile.EnsureAsync(options.EffectiveWatermarkEnrollmentPath, secrets, domain, time, cancellationToken);
            var outbox = RecordOutbox.Open(options.OutboxPath, node);
            return new EdgeNodeRuntime(secrets, providerKey, catalog, outbox, new ProvenanceRecordIssuer(secrets.SigningKey, domain, outbox, time));
        }
        catch
        {
            catalog.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Outbox.Dispose();
        Catalog.Dispose();
    }
}
