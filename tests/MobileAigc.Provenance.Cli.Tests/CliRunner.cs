using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>Runs the built <c>provenance</c> executable as a user would, and captures what it prints.</summary>
internal static class CliRunner
{
    public static Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) =>
        RunWithEnvironmentAsync(new Dictionary<string, string?>(), arguments);

    /// <summary>Runs it with <paramref name="environment"/> set, as a user's shell would (e.g. <c>EDGE_NODE_PASSPHRASE</c>).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunWithEnvironmentAsync(
        IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var (exitCode, output, error) = await ChildProcess.RunAsync(
            "dotnet", [Path.Combine(AppContext.BaseDirectory, "provenance.dll"), .. arguments], environment: environment);
        return (exitCode, output, error);
    }
}
