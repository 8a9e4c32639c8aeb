using System.Text.Json;
using System.Text.RegularExpressions;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests.Compose;

/// <summary>
/// <c>docker-compose.yml</c> without a Docker engine: docker-compose 1.29 validates it, and every file, port, variable,
/// volume and dependency it names is checked against the Dockerfiles, the init script and the docs.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] BuiltServices = ["secrets", "init", "edge-node", "ledger"];

    [Fact]
    public async Task Config_RepositoryFile_DockerComposeAcceptsIt()
    {
        var result = await ComposeFile.ConfigAsync(null, "-q");

        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public async Task Config_UnknownDependencyCondition_IsRefused()
    {
        var copy = System.IO.Path.Combine(Directory.CreateTempSubdirectory("compose-bad-").FullName, "docker-compose.yml");
        await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(ComposeFile.Path)).Replace("service_completed_successfully", "service_finished", StringComparison.Ordinal));

        var result = await ComposeFile.ConfigAsync(copy, "-q");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("service_finished", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_EveryDockerfileAndWhatItCopies_Exists()
    {
        var compose = await ComposeFile.LoadAsync();

        foreach (var service in compose.Services.Where(s => s.Build is not null))
        {
            var (context, dockerfile) = service.Build!.Value;
            Assert.True(Directory.Exists(context), $"{service.Name}: no build context {context}");
            var path = System.IO.Path.Combine(context, dockerfile);
            Assert.True(File.Exists(path), $"{service.Name}: no Dockerfile {path}");
            foreach (var source in CopySources(await File.ReadAllTextAsync(path)))
            {
                var copied = System.IO.Path.Combine(context, source);
                Assert.True(File.Exists(copied) || Directory.Exists(copied), $"{service.Name}: {dockerfile} copies '{source}', which is not in the context");
            }
        }

        Assert.Equal(BuiltServices.Order(), compose.Services.Where(s => s.Build is not null).Select(s => s.Name).Order());
    }

    [Fact]
    public async Task Build_SdkImages_ArePinnedToGlobalJson()
    {
        using var global = JsonDocument.Parse(await File.ReadAllTextAsync(RepositoryPaths.Combine("global.json")));
        var sdk = global.RootElement.GetProperty("sdk").GetProperty("version").GetString();

        var tags = new List<string>();
        foreach (var dockerfile in await DockerfilesAsync())
        {
            var found = SdkImage().Matches(await File.ReadAllTextAsync(dockerfile)).Select(m => m.Groups["tag"].Value).ToList();
            Assert.True(found.Count > 0, $"{dockerfile} builds without the .NET SDK image");
            Assert.All(found, tag => Assert.Equal(sdk, tag));
            tags.AddRange(found);
        }

        Assert.Equal(3, tags.Count);
    }

    [Fact]
    public async Task Build_RuntimeStages_RunAsTheNonRootUser()
    {
        foreach (var dockerfile in await DockerfilesAsync())
        {
            var lines = (await File.ReadAllLinesAsync(dockerfile)).Select(l => l.Trim()).ToList();
            var lastFrom = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
            var lastUser = lines.FindLastIndex(l => l.StartsWith("USER ", StringComparison.Ordinal));

            Assert.True(lastUser > lastFrom, $"{dockerfile}: the runtime stage sets no USER");
            Assert.Equal("USER $APP_UID", lines[lastUser]);
        }
    }

    [Fact]
    public async Task Volumes_EveryMountPoint_IsMadeAndOwnedByTheUserInTheServicesImage()
    {
        var compose = await ComposeFile.LoadAsync();

        foreach (var service in compose.Services.Where(s => s.Build is not null))
        {
            var (context, dockerfile) = service.Build!.Value;
            var text = await File.ReadAllTextAsync(System.IO.Path.Combine(context, dockerfile));
            var owned = Chowned().Matches(text).SelectMany(m => m.Groups["paths"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            foreach (var mount in service.Mounts)
            {
                Assert.True(text.Contains(mount.Target, StringComparison.Ordinal), $"{service.Name}: {dockerfile} never makes the mount point {mount.Target}");
                Assert.True(owned.Any(p => mount.Target == p || mount.Target.StartsWith(p + "/", StringComparison.Ordinal)),
                    $"{service.Name}: {dockerfile} does not give {mount.Target} to the non-root user ({string.Join(", ", owned)})");
            }
        }
    }

    [Fact]
    public async Task Ports_EveryPublishedPort_IsOneTheServiceListensOn()
    {
        var compose = await ComposeFile.LoadAsync();
        var published = 0;

        foreach (var service in compose.Services)
        {
            foreach (var port in service.Ports)
            {
                Assert.Equal(await ListeningPortAsync(service), port.ContainerPort);
                Assert.StartsWith("127.0.0.1:", port.Host, StringComparison.Ordinal);
                published++;
            }
        }

        Assert.Equal(3, published);
    }

    [Fact]
    public async Task Variables_EveryVariable_HasADefaultAndIsDocumented()
    {
        var text = await File.ReadAllTextAsync(ComposeFile.Path);
        var documentation = await File.ReadAllTextAsync(RepositoryPaths.Combine("docs", "deployment.md"));

        var variables = Variable().Matches(text).ToList();

        Assert.NotEmpty(variables);
        Assert.All(variables, v => Assert.True(v.Groups["default"].Value.StartsWith(":-", StringComparison.Ordinal), $"${{{v.Groups["name"].Value}}} has no default"));
        Assert.All(variables, v => Assert.Contains($"`{v.Groups["name"].Value}`", documentation, StringComparison.Ordinal));
        Assert.Equal(ComposeFile.Variables.Order(), variables.Select(v => v.Groups["name"].Value).Distinct().Order());
    }

    [Fact]
    public async Task Environment_HoldsNoSecretValue()
    {
        var compose = await ComposeFile.LoadAsync();

        foreach (var service in compose.Services)
        {
            foreach (var (name, value) in service.Environment)
            {
                Assert.False(value.Contains("password=", StringComparison.OrdinalIgnoreCase), $"{service.Name}: {name} holds a password");
                Assert.False(HexSecret().IsMatch(value), $"{service.Name}: {name} holds what looks like a key");
                if (SecretName().IsMatch(name))
                {
                    Assert.True(name.EndsWith("File", StringComparison.Ordinal) || name.EndsWith("Path", StringComparison.Ordinal) || name.EndsWith("_FILE", StringComparison.Ordinal),
                        $"{service.Name}: {name} names a secret but not a file");
                    Assert.StartsWith("/", value, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task DependsOn_EveryServiceStartsAfterWhatItNeeds()
    {
        var compose = await ComposeFile.LoadAsync();
        const string Completed = "service_completed_successfully";

        Assert.Equal(Completed, compose.Service("postgres").DependsOn["secrets"]);
        Assert.Equal(Completed, compose.Service("init").DependsOn["secrets"]);
        Assert.Equal("service_healthy", compose.Service("init").DependsOn["chain"]);
        Assert.Equal(Completed, compose.Service("edge-node").DependsOn["init"]);
        Assert.Equal(Completed, compose.Service("ledger").DependsOn["init"]);
        Assert.Equal("service_healthy", compose.Service("ledger").DependsOn["postgres"]);
        Assert.Equal("service_healthy", compose.Service("ledger").DependsOn["edge-node"]);
        Assert.Equal(2, compose.Service("ledger").Element.GetProperty("deploy").GetProperty("replicas").GetInt32());
        Assert.Equal(["secrets"], compose.Service("secrets").Command);
        Assert.Equal(["all"], compose.Service("init").Command);
    }

    [Fact]
    public async Task Init_ScriptDefaults_AreTheInitServicesMountPoints()
    {
        var compose = await ComposeFile.LoadAsync();
        var defaults = InitScript.DirectoryDefaults();

        foreach (var name in new[] { "secrets", "init" })
        {
            var targets = compose.Service(name).Mounts.Select(m => m.Target).Order().ToList();
            Assert.Equal(defaults.Values.Order(), targets);
        }

        Assert.Equal("/var/lib/provenance/postgres-secrets/password", compose.Service("postgres").Environment["POSTGRES_PASSWORD_FILE"]);
    }

    [Fact]
    public async Task Dockerignore_KeepsOutputsSecretsAndHistoryOut()
    {
        var lines = (await File.ReadAllLinesAsync(RepositoryPaths.Combine(".dockerignore"))).Select(l => l.Trim()).ToHashSet();

        Assert.Superset(new HashSet<string> { "**/bin/", "**/obj/", "**/node_modules/", "**/TestResults/", ".git/", "data/", "secrets/" }, lines);
    }

    private static async Task<int> ListeningPortAsync(ComposeService service)
    {
        if (service.Build is { } build)
        {
            var urls = AspNetCoreUrls().Match(await File.ReadAllTextAsync(System.IO.Path.Combine(build.Context, build.Dockerfile)));
            Assert.True(urls.Success, $"{service.Name}: its Dockerfile sets no ASPNETCORE_URLS");
            return int.Parse(urls.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var arguments = service.Entrypoint.Concat(service.Command).ToList();
        var flag = arguments.IndexOf("--port");
        Assert.True(flag >= 0, $"{service.Name}: publishes a port but its command names none");
        return int.Parse(arguments[flag + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<string>> DockerfilesAsync()
    {
        var compose = await ComposeFile.LoadAsync();
        return compose.Services.Where(s => s.Build is not null)
            .Select(s => System.IO.Path.GetFullPath(System.IO.Path.Combine(s.Build!.Value.Context, s.Build!.Value.Dockerfile)))
            .Distinct().Order().ToList();
    }

    private static IEnumerable<string> CopySources(string dockerfile) =>
        dockerfile.Split('\n').Select(l => l.Trim())
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]);

    [GeneratedRegex(@"^FROM mcr\.microsoft\.com/dotnet/sdk:(?<tag>\S+)", RegexOptions.Multiline)]
    private static partial Regex SdkImage();

    [GeneratedRegex(@"chown -R ""\$APP_UID:\$APP_UID"" (?<paths>[^\\\n&]+)")]
    private static partial Regex Chowned();

    [GeneratedRegex(@"ASPNETCORE_URLS=http://0\.0\.0\.0:(?<port>\d+)")]
    private static partial Regex AspNetCoreUrls();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<default>[^}]*)\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(0x)?[0-9a-fA-F]{32,}$")]
    private static partial Regex HexSecret();

    [GeneratedRegex(@"(?i)(password|passphrase|secret|apikey|privatekey|token)")]
    private static partial Regex SecretName();
}
