namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>Files that hold secrets: created new (never overwriting), readable and writable by the owner only.</summary>
internal static class PrivateFile
{
    /// <summary>Creates <paramref name="path"/> (and its folder) with mode 0600 and writes <paramref name="content"/>, flushed to disk.</summary>
    /// <exception cref="IOException">When the file exists already.</exception>
    public static async Task CreateAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var file = new FileStream(path, options);
        await file.WriteAsync(content, cancellationToken);
        file.Flush(flushToDisk: true);
    }
}
