namespace MobileAigc.Provenance.Core.Secrets;

/// <summary>
/// Files that hold secrets (passphrases, keystores, watermark keys, API keys): created with mode
/// 0600 by the call that creates them, so that no moment exists in which another account can open
/// them, in folders created 0700. On Windows the modes do not apply; the folder's ACL rules.
/// </summary>
public static class SecretFile
{
    /// <summary>Owner read and write: the mode of every secret file.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner read, write and search: the mode of a folder created for secrets.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and its missing folders, 0700) with mode 0600 and writes
    /// <paramref name="content"/>, flushed to disk. An existing file is never overwritten.
    /// </summary>
    /// <exception cref="IOException">When the file exists already.</exception>
    public static async Task CreateAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(content);
        CreateFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        await using var file = new FileStream(path, options);
        await file.WriteAsync(content, cancellationToken);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Creates <paramref name="path"/> as <see cref="CreateAsync"/> does, replacing a file left there (a new file, never the old one's mode).</summary>
    public static Task ReplaceAsync(string path, byte[] content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.Delete(path);
        return CreateAsync(path, content, cancellationToken);
    }

    /// <summary>
    /// Creates <paramref name="path"/> and its missing parents with mode 0700. A folder that exists
    /// already keeps its mode (an operator's mounted volume is the operator's to set) unless
    /// <paramref name="restrict"/> is set, for a folder the caller owns.
    /// </summary>
    public static void CreateFolder(string path, bool restrict = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var existed = Directory.Exists(path);
        Directory.CreateDirectory(path, FolderMode);
        if (existed && restrict)
        {
            File.SetUnixFileMode(path, FolderMode);
        }
    }
}
