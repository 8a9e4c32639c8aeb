using System.Text.RegularExpressions;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary>
/// A compose service's configuration moved onto plain processes: its image's <c>ENV</c> and its compose
/// <c>environment</c>, with container paths mapped to folders of a test's own and the services' host names to the
/// loopback addresses of the processes that stand in for them. Nothing else is added or dropped.
/// </summary>
/// <param name="root">The folder that stands for <c>/var/lib/provenance</c> and the images' <c>/data</c>.</param>
/// <param name="hosts">Each <c>http://service:port</c> (as the file writes it) and the URL of the process standing in for it.</param>
/// <param name="postgres">The host and port that stand for <c>Host=postgres</c> in a connection string, as <c>Host=…;Port=…</c>.</param>
internal sealed partial class ComposeEnvironment(string root, IReadOnlyDictionary<string, Uri> hosts, string postgres)
{
    private const string VolumeRoot = "/var/lib/provenance/";

    /// <summary>The folder a container path lands in.</summary>
    public string MapPath(string containerPath) => containerPath switch
    {
        _ when containerPath.StartsWith(VolumeRoot, StringComparison.Ordinal) => Path.Combine(root, containerPath[VolumeRoot.Length..]),
        "/models" => RepositoryPaths.Models,
        _ when containerPath.StartsWith("/models/", StringComparison.Ordinal) => Path.Combine(RepositoryPaths.Models, containerPath["/models/".Length..]),
        "/data" => Path.Combine(root, "image-data"),
        _ => throw new ArgumentException($"No mapping for the container path '{containerPath}'.", nameof(containerPath)),
    };

    /// <summary>One value with its paths, service URLs and database host mapped.</summary>
    public string MapValue(string value)
    {
        if (value.StartsWith('/'))
        {
            return MapPath(value);
        }

        foreach (var (composeUrl, url) in hosts)
        {
            if (value.TrimEnd('/') == composeUrl.TrimEnd('/'))
            {
                return value.EndsWith('/') ? url.ToString() : url.ToString().TrimEnd('/');
            }
        }

        return value.Replace("Host=postgres", postgres, StringComparison.Ordinal);
    }

    /// <summary>
    /// The environment of <paramref name="service"/>'s process: its Dockerfile's <c>ENV</c> (but <c>ASPNETCORE_URLS</c>,
    /// the test's port instead), then its compose environment over it, every value mapped.
    /// </summary>
    public async Task<Dictionary<string, string>> ForAsync(ComposeService service)
    {
        var environment = new Dictionary<string, string>();
        if (service.Build is { } build)
        {
            foreach (var (name, value) in ImageEnvironment(await File.ReadAllTextAsync(Path.Combine(build.Context, build.Dockerfile))))
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in service.Environment)
        {
            environment[name] = value;
        }

        environment.Remove("ASPNETCORE_URLS");
        return environment.ToDictionary(p => p.Key, p => MapValue(p.Value));
    }

    // The last stage's ENV instructions (continuation lines joined), as NAME=value pairs.
    private static IEnumerable<(string Name, string Value)> ImageEnvironment(string dockerfile)
    {
        var lastStage = dockerfile[dockerfile.LastIndexOf("\nFROM ", StringComparison.Ordinal)..].Replace("\\\n", " ", StringComparison.Ordinal);
        return lastStage.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal))
            .SelectMany(l => Assignment().Matches(l).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value)));
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\S+)")]
    private static partial Regex Assignment();
}
