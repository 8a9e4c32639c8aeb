namespace MobileAigc.Provenance.Generation.Tests;

/// <summary>Where the shipped models are: the repository's <c>models/</c> folder.</summary>
internal static class RepositoryModels
{
    public static string Root { get; } = FindRoot();

    public static string TextModel => Path.Combine(Root, "models", "kjv-char-mlp");

    public static string ImageModel => Path.Combine(Root, "models", "cppn-image");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (MobileAigc.Provenance.sln) above " + AppContext.BaseDirectory);
    }
}

/// <summary>A folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mobileaigc-gen-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
