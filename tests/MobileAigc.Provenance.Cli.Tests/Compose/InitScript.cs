using System.Text.RegularExpressions;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary><c>deploy/init.sh</c>: where it is and the folder defaults it declares (the container's mount points).</summary>
internal static partial class InitScript
{
    /// <summary>The script.</summary>
    public static string Path => RepositoryPaths.Combine("deploy", "init.sh");

    /// <summary>Each <c>*_DIR</c> variable the script reads and its default (a mount point in the init container).</summary>
    public static IReadOnlyDictionary<string, string> DirectoryDefaults() =>
        DirectoryDefault().Matches(File.ReadAllText(Path)).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["path"].Value);

    [GeneratedRegex(@"^(?<name>[A-Z_]+_DIR)=""\$\{\k<name>:-(?<path>/var/lib/provenance/[a-z-]+)\}""", RegexOptions.Multiline)]
    private static partial Regex DirectoryDefault();
}
