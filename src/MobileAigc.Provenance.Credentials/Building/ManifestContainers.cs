namespace MobileAigc.Provenance.Credentials.Building;

/// <summary>The formats <see cref="ManifestBuilder"/> writes.</summary>
internal static class ManifestContainers
{
    public static IReadOnlyList<IManifestContainer> All { get; } = [];
}
