using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Validation;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.EdgeNode.Tests.ContentCredentials;

/// <summary>One edge node opened in process with the shipped models, a registry to bind its C2PA certificate in, and a ledger URL.</summary>
public sealed class CredentialedNodeFixture : IAsyncLifetime, IDisposable
{
    public const string ModelRegistry = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

    public static readonly Uri LedgerUrl = new("https://ledger.example/");

    public static readonly ContractDomain LedgerDomain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse(EdgeNodeHost.LedgerContract));

    public static readonly ContractDomain RegistryDomain = ContractDomain.ForModelRegistry(31337, EvmAddress.Parse(ModelRegistry));

    public TempDirectory Directory { get; } = new();

    public EdgeNodeRuntime Node { get; private set; } = null!;

    /// <summary>Our validator, trusting the node's development CA (the last certificate of its chain).</summary>
    public ManifestValidator Validator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Directory.File("passphrase"), "a long enough passphrase\n");
        var options = new EdgeNodeOptions
        {
            DataDirectory = Directory.Path,
            PassphraseFile = Directory.File("passphrase"),
            CreateKeystoreIfMissing = true,
            ModelsDirectory = RepositoryPaths.Models,
            ProvenanceLedger = EdgeNodeHost.LedgerContract,
            LedgerUrl = LedgerUrl,
        };
        options.Credentials.ModelRegistry = ModelRegistry;
        Node = await EdgeNodeRuntime.OpenAsync(options, TimeProvider.System);
        Validator = new ManifestValidator(TrustList.Of([Node.C2paIdentity.Chain[^1]]), TimeProvider.System);
    }

    public GenerateImageResponse Generate(GenerateImageRequest request) => Node.Generator.GenerateImage(request, CreatorClaim.Anonymous);

    public Task DisposeAsync()
    {
        Node.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Directory.Dispose();
}
