using System.Text.Json;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary>
/// The repository's <c>docker-compose.yml</c> as Debian's <c>docker-compose</c> (1.29) reads it: validated, its
/// variables interpolated with their defaults (none of them set), normalised by <c>docker-compose config</c> and turned
/// into JSON by the YAML module docker-compose itself runs on. No Docker engine is needed.
/// </summary>
internal sealed class ComposeFile
{
    /// <summary>The variables the file names: unset while it is read, so that their defaults apply.</summary>
    public static readonly string[] Variables =
        ["CHAIN_RPC_URL", "DEV_CHAIN", "MODEL_PRICE_WEI", "MODEL_ROYALTY_BPS", "NODE_ENDPOINT", "LEDGER_PUBLIC_URL"];

    private ComposeFile(JsonElement root) => Root = root;

    /// <summary>The file's path.</summary>
    public static string Path => RepositoryPaths.Combine("docker-compose.yml");

    /// <summary>The normalised configuration.</summary>
    public JsonElement Root { get; }

    /// <summary>Every service's name.</summary>
    public IEnumerable<string> ServiceNames => Root.GetProperty("services").EnumerateObject().Select(s => s.Name);

    /// <summary>One service.</summary>
    public ComposeService Service(string name) => new(name, Root.GetProperty("services").GetProperty(name));

    /// <summary>Every service.</summary>
    public IEnumerable<ComposeService> Services => ServiceNames.Select(Service);

    /// <summary>Runs <c>docker-compose config</c> on <paramref name="path"/> (default: the repository's file).</summary>
    public static Task<ProcessResult> ConfigAsync(string? path = null, params string[] extra) => ChildProcess.RunAsync(
        "docker-compose", ["-f", path ?? Path, "--project-directory", RepositoryPaths.Root, "config", .. extra],
        workingDirectory: RepositoryPaths.Root, environment: Variables.ToDictionary(v => v, string? (_) => null));

    /// <summary>Reads the repository's file; fails when docker-compose refuses it.</summary>
    public static async Task<ComposeFile> LoadAsync()
    {
        var config = await ConfigAsync();
        if (config.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker-compose config refused {Path}:\n{config.Error}");
        }

        var json = await ChildProcess.RunAsync("python3", ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
            standardInput: config.Output);
        if (json.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 could not read docker-compose's output as YAML:\n{json.Error}");
        }

        using var document = JsonDocument.Parse(json.Output);
        return new ComposeFile(document.RootElement.Clone());
    }
}

/// <summary>A named volume mounted into a service.</summary>
/// <param name="Volume">The volume's name.</param>
/// <param name="Target">Where it is mounted.</param>
/// <param name="ReadOnly">Mounted read-only.</param>
internal sealed record ComposeMount(string Volume, string Target, bool ReadOnly);

/// <summary>A published port range: host ports to the container port.</summary>
/// <param name="Host">The host address and port(s) as written.</param>
/// <param name="ContainerPort">The port the service must listen on.</param>
internal sealed record ComposePort(string Host, int ContainerPort);

/// <summary>One service of the normalised file.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Element">Its normalised JSON.</param>
internal sealed record ComposeService(string Name, JsonElement Element)
{
    /// <summary>Its environment (an empty one when it sets none).</summary>
    public IReadOnlyDictionary<string, string> Environment => Element.TryGetProperty("environment", out var environment)
        ? environment.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? "" : p.Value.ToString())
        : new Dictionary<string, string>();

    /// <summary>Its named volumes.</summary>
    public IReadOnlyList<ComposeMount> Mounts => Element.TryGetProperty("volumes", out var volumes)
        ? volumes.EnumerateArray().Select(v => v.GetString()!.Split(':')).Select(p => new ComposeMount(p[0], p[1], p.Length > 2 && p[2] == "ro")).ToList()
        : [];

    /// <summary>Its published ports.</summary>
    public IReadOnlyList<ComposePort> Ports => Element.TryGetProperty("ports", out var ports)
        ? ports.EnumerateArray().Select(p => p.GetString()!).Select(ParsePort).ToList()
        : [];

    /// <summary>Its build context and Dockerfile (relative to the context), or null for a pulled image.</summary>
    public (string Context, string Dockerfile)? Build => Element.TryGetProperty("build", out var build)
        ? (build.GetProperty("context").GetString()!, build.TryGetProperty("dockerfile", out var file) ? file.GetString()! : "Dockerfile")
        : null;

    /// <summary>Its command, or an empty list.</summary>
    public IReadOnlyList<string> Command => Strings("command");

    /// <summary>Its entrypoint, or an empty list.</summary>
    public IReadOnlyList<string> Entrypoint => Strings("entrypoint");

    /// <summary>Its healthcheck's test (after <c>CMD</c>), or an empty list.</summary>
    public IReadOnlyList<string> HealthCheck => Element.TryGetProperty("healthcheck", out var check)
        ? check.GetProperty("test").EnumerateArray().Select(e => e.GetString()!).Skip(1).ToList()
        : [];

    /// <summary>The services it waits for, with the condition.</summary>
    public IReadOnlyDictionary<string, string> DependsOn => Element.TryGetProperty("depends_on", out var dependsOn)
        ? dependsOn.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("condition").GetString()!)
        : new Dictionary<string, string>();

    private IReadOnlyList<string> Strings(string property) => Element.TryGetProperty(property, out var value)
        ? value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(e => e.GetString()!).ToList() : [value.GetString()!]
        : [];

    // "127.0.0.1:8090-8091:8080/tcp": host part, container port.
    private static ComposePort ParsePort(string text)
    {
        var withoutProtocol = text.Split('/')[0];
        var lastColon = withoutProtocol.LastIndexOf(':');
        return new ComposePort(withoutProtocol[..lastColon], int.Parse(withoutProtocol[(lastColon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
