using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.ModelDescriptions.Manifests;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>A temporary folder of model manifests: the shipped image model's, renamed and pinned to another hash.</summary>
public sealed class ManifestFolder : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mobileaigc-manifests-").FullName;

    /// <summary>Writes a manifest named <paramref name="name"/> pinning <paramref name="modelHash"/> and returns its path.</summary>
    public string Pinning(Bytes32 modelHash, string name)
    {
        var manifest = ModelManifest.Load(VerificationLedger.ShippedImageModelManifest) with { Name = name, Sha256 = modelHash.ToString() };
        var path = Path.Combine(_directory, $"{name}.json");
        File.WriteAllText(path, manifest.ToJson());
        return path;
    }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
