using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.Training.Tests.FineTuning;

/// <summary>The shipped creator sample and an identity for derivatives of the shipped text model.</summary>
internal static class CreatorSample
{
    public static string Path => RepositoryPaths.Combine("models", "samples", "factbook-creator.txt");

    /// <summary>The sample's paragraphs, one example each.</summary>
    public static IReadOnlyList<string> Examples { get; } = File.ReadAllLines(Path).Where(l => l.Length > 0).ToArray();

    public static string ParentSha256 { get; } = ModelManifest.Load(System.IO.Path.Combine(RepositoryPaths.TextModel, ModelManifest.FileName)).Sha256!;

    public static DerivativeIdentity Identity(string name = "factbook-style") => new(
        name,
        ParentSha256,
        "0x" + new string('a', 64),
        "0x1111111111111111111111111111111111111111",
        "0x2222222222222222222222222222222222222222");
}
