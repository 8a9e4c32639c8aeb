using System.Diagnostics;
using System.Net;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Testing.Tests.Processes;

/// <summary><see cref="HostProcess"/> on a real child process: the <see cref="Responder"/> in this assembly.</summary>
public sealed class HostProcessTests
{
    [Fact]
    public async Task StartAsync_SlowToListen_ReturnsOnceItAnswers()
    {
        var clock = Stopwatch.StartNew();

        await using var host = await HostProcess.StartAsync(Options("--listen-after-ms", "1500"));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"returned after {clock.Elapsed} while the child waits 1.5 s to listen");
        Assert.Equal(new Uri($"http://127.0.0.1:{host.Port}/"), host.BaseAddress);
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal("ok", await http.GetStringAsync("health"));
        Assert.False(host.HasExited);
    }

    [Fact]
    public async Task StartAsync_CapturesStdoutAndStderr()
    {
        await using var host = await HostProcess.StartAsync(Options());

        await WaitUntilAsync(() => host.Output.Contains(Responder.ReadyLine, StringComparison.Ordinal));
        Assert.Contains(Responder.ErrorLine, host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LogFile_WritesTheOutputThere()
    {
        var log = Path.GetTempFileName();
        try
        {
            await using (var host = await HostProcess.StartAsync(Options() with { LogFile = log }))
            {
                await WaitUntilAsync(() => host.Output.Contains(Responder.ReadyLine, StringComparison.Ordinal));
            }

            Assert.Contains(Responder.ErrorLine, await File.ReadAllTextAsync(log), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public async Task StartAsync_Settings_ReachTheChildAsEnvironmentVariables()
    {
        var options = Options().WithSettings(new Dictionary<string, string> { ["Greeting:Text"] = "hello from the parent" });

        await using var host = await HostProcess.StartAsync(options);

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal("hello from the parent", await http.GetStringAsync("env/Greeting__Text"));
    }

    [Fact]
    public async Task StartAsync_SuccessReadiness_WaitsPastUnreadyAnswers()
    {
        await using var host = await HostProcess.StartAsync(Options("--unready", "3") with { Readiness = HostReadiness.Success });

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task StartAsync_AnyAnswerReadiness_TakesAnUnreadyAnswer()
    {
        await using var host = await HostProcess.StartAsync(Options("--unready", "3"));

        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        // One 503 went to the launcher; two are left.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("health")).StatusCode);
    }

    [Fact]
    public async Task StartAsync_ExitsDuringStart_ThrowsWithTheExitCodeAndOutput()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(Options("--exit", "3")));

        Assert.Matches(@"^responder \(pid \d+\) exited with 3 during start", error.Message);
        Assert.Contains("exiting as asked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NeverListens_TimesOutAndKillsIt()
    {
        var options = Options("--never-listen", "true") with { StartTimeout = TimeSpan.FromSeconds(2) };

        var error = await Assert.ThrowsAsync<TimeoutException>(() => HostProcess.StartAsync(options));

        Assert.Matches(@"^responder \(pid \d+\) was not ready within 2 s", error.Message);
        Assert.Contains(Responder.ErrorLine, error.Message, StringComparison.Ordinal);
        var pid = int.Parse(System.Text.RegularExpressions.Regex.Match(error.Message, @"pid (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsRunning(pid), $"process {pid} outlived the failed start");
    }

    [Fact]
    public async Task Kill_EndsTheProcessAtOnceAndItStopsAnswering()
    {
        await using var host = await HostProcess.StartAsync(Options());
        var pid = host.ProcessId;

        host.Kill();

        Assert.True(host.HasExited);
        Assert.False(IsRunning(pid));
        using var http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("health"));
    }

    [Fact]
    public async Task DisposeAsync_Twice_KillsOnceAndDoesNotThrow()
    {
        var host = await HostProcess.StartAsync(Options());
        var pid = host.ProcessId;

        await host.DisposeAsync();
        await host.DisposeAsync();

        Assert.False(IsRunning(pid));
    }

    /// <summary>This assembly run as the <see cref="Responder"/> on the port the launcher picks.</summary>
    private static HostProcessOptions Options(params string[] more) => new()
    {
        Name = "responder",
        Arguments = [typeof(Responder).Assembly.Location, "--port", HostProcessOptions.PortPlaceholder, .. more],
    };

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }
}
