using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>Runs the built <c>provenance</c> executable as a user would, and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "provenance.dll"), .. arguments]);
        return (exitCode, output, error);
    }
}
