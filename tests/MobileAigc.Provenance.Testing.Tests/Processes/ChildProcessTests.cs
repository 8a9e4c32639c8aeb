using System.ComponentModel;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Testing.Tests.Processes;

/// <summary><see cref="ChildProcess"/> on the <see cref="Responder"/> in this assembly.</summary>
public sealed class ChildProcessTests
{
    private static readonly string Self = typeof(Responder).Assembly.Location;

    [Fact]
    public async Task RunAsync_ExitCodeAndBothStreams_AreReturned()
    {
        var result = await ChildProcess.RunAsync("dotnet", [Self, "--exit", "3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exiting as asked", result.Output, StringComparison.Ordinal);
        Assert.Contains(Responder.ErrorLine, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StandardInput_IsWrittenAndClosed()
    {
        var input = string.Join('\n', Enumerable.Range(0, 20_000).Select(i => $"line {i}"));

        var result = await ChildProcess.RunAsync("dotnet", [Self, "--echo-stdin", "true"], standardInput: input);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input, result.Output);
    }

    [Fact]
    public async Task RunAsync_NotEndingInTime_IsKilledAndTimesOut()
    {
        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            ChildProcess.RunAsync("dotnet", [Self, "--port", "1", "--never-listen", "true"], timeout: TimeSpan.FromSeconds(2)));

        Assert.Contains(Responder.ErrorLine, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoSuchProgram_ThrowsWin32Exception()
    {
        await Assert.ThrowsAsync<Win32Exception>(() => ChildProcess.RunAsync("no-such-program-" + Guid.NewGuid().ToString("N"), []));
    }
}
