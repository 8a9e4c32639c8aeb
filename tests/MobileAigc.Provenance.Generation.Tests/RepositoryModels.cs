using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Generation.Tests;

/// <summary>The shipped models these tests run.</summary>
internal static class RepositoryModels
{
    public static string TextModel => Path.Combine(RepositoryPaths.Models, "kjv-char-mlp");

    public static string ImageModel => Path.Combine(RepositoryPaths.Models, "cppn-image");
}

/// <summary>A folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mobileaigc-gen-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
