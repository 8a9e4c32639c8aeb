using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Inspection;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The ledger's reading of an uploaded image's Content Credentials: validated with the configured trust
/// anchors, the signer's certificate checked for its binding to a node in the ledger's <c>ModelRegistry</c>
/// domain, and what the credentials say about their record compared with the ledger's record.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton.</remarks>
public sealed class CredentialsInspection
{
    private readonly ContentCredentialsInspector _inspector;

    /// <summary>Creates the inspection.</summary>
    /// <param name="trust">The trust anchors.</param>
    /// <param name="registryDomain">The registry domain certificate bindings are checked in; null to leave them unchecked.</param>
    /// <param name="time">The clock of signatures without a time-stamp.</param>
    public CredentialsInspection(TrustList trust, ContractDomain? registryDomain, TimeProvider time) =>
        _inspector = new ContentCredentialsInspector(new ManifestValidator(trust, time), registryDomain);

    /// <summary>Reads the trust anchors of <paramref name="options"/>.</summary>
    /// <exception cref="InvalidOperationException">When a file is missing or holds no certificate.</exception>
    public static TrustList LoadTrust(CredentialsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var anchors = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        foreach (var file in options.TrustAnchors)
        {
            try
            {
                var list = TrustList.FromPem(File.ReadAllText(file));
                anchors.AddRange(list.Anchors.Count > 0 ? list.Anchors : throw new InvalidOperationException($"{CredentialsOptions.Section}:TrustAnchors: '{file}' holds no PEM certificate."));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new InvalidOperationException($"{CredentialsOptions.Section}:TrustAnchors: '{file}' cannot be read as PEM certificates: {e.Message}", e);
            }
        }

        return TrustList.Of(anchors);
    }

    /// <summary>The credentials of an uploaded image; null when the upload is no PNG, JPEG or WebP.</summary>
    public ContentCredentialsReport? Inspect(ContentUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        if (upload.Image is null)
        {
            return null;
        }

        try
        {
            return _inspector.Inspect(upload.Bytes);
        }
        catch (JumbfException)
        {
            // The decoder took it for an image but the container reader does not: no credentials to read.
            return null;
        }
    }

    /// <summary>
    /// <paramref name="credentials"/> with what contradicts <paramref name="record"/> added to its record's
    /// problems: another record digest, another content hash, credentials that name no record at all.
    /// </summary>
    public static ContentCredentialsReport JoinRecord(ContentCredentialsReport credentials, StoredRecord record)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(record);
        if (!credentials.Present || credentials.Record is not { } claim)
        {
            return credentials;
        }

        var problems = new List<string>(claim.Problems);
        if (claim.RecordDigest is { } digest && digest != record.Digest)
        {
            problems.Add($"The credentials name record {digest}, but the file is the content of record {record.Digest}.");
        }

        if (claim.ContentHash is { } contentHash && contentHash != record.ContentHash)
        {
            problems.Add($"The credentials name content hash {contentHash}, but the record's is {record.ContentHash}.");
        }

        if (claim.NodeAddress is { } node && node != record.Node)
        {
            problems.Add($"The credentials name node {node}, but the record was signed by node {record.Node}.");
        }

        return credentials with { Record = claim with { Problems = problems } };
    }

    /// <summary>True when the credentials contradict the record they were joined to.</summary>
    public static bool Contradicts(ContentCredentialsReport? credentials) => credentials?.Record is { Problems.Count: > 0 };

    /// <summary>The registry domain of the ledger's chain settings, or null when no registry is configured.</summary>
    public static ContractDomain? RegistryDomain(Chain.LedgerChainOptions chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return chain.ModelRegistry is { } registry && EvmAddress.TryParse(registry, out var address)
            ? ContractDomain.ForModelRegistry(chain.ChainId, address)
            : null;
    }
}
