using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>
/// A real edge node opened in process with the shipped models, signing for <see cref="VerificationHostFactory"/>'s
/// ledger contract: the pictures it generates carry the Content Credentials every delivered picture carries.
/// </summary>
public sealed class EdgeNodePictures : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-ledger-node-").FullName;
    private EdgeNodeRuntime? _node;

    /// <summary>The running node.</summary>
    public EdgeNodeRuntime Node => _node ?? throw new InvalidOperationException("The node is not opened yet.");

    /// <summary>The node's development CA, the anchor its C2PA chain ends in (PEM).</summary>
    public string TrustAnchorPem => Node.C2paIdentity.Chain[^1].ExportCertificatePem();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var passphrase = Path.Combine(_directory, "passphrase");
        await File.WriteAllTextAsync(passphrase, "a long enough passphrase\n");
        _node = await EdgeNodeRuntime.OpenAsync(
            new EdgeNodeOptions
            {
                DataDirectory = Path.Combine(_directory, "node"),
                PassphraseFile = passphrase,
                ModelsDirectory = RepositoryPaths.Models,
                ProvenanceLedger = VerificationHostFactory.LedgerContract,
                LedgerUrl = new Uri("https://ledger.example/"),
            },
            TimeProvider.System);
    }

    /// <summary>One anonymous generation, PNG or JPEG.</summary>
    public GenerateImageResponse Generate(string prompt, ulong seed, string format) =>
        Node.Generator.GenerateImage(new GenerateImageRequest(prompt, Seed: seed, Format: format), CreatorClaim.Anonymous);

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _node?.Dispose();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
