namespace MobileAigc.Provenance.Testing.Repository;

/// <summary>A fresh folder under the system temp folder, deleted with everything in it on dispose.</summary>
public sealed class TemporaryFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    /// <summary>The folder's full path.</summary>
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mobileaigc-test-" + Guid.NewGuid().ToString("N"));

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
