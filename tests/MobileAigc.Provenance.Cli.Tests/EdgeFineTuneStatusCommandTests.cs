using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance edge fine-tune status|cancel</c> against a real edge-node process whose jobs train far longer than the tests:
/// a job started with <c>--no-wait</c> is read, cancelled, and then refused a second cancel; unknown and malformed ids exit 1.
/// </summary>
public sealed class EdgeFineTuneStatusCommandTests(LongFineTuneCliNode node) : IClassFixture<LongFineTuneCliNode>
{
    private const string Salt = "0x5a17000000000000000000000000000000000000000000000000000000000002";

    [Fact]
    public async Task StatusAndCancel_LiveJob_ReadsCancelsThenRefusesASecondCancel()
    {
        // The sample in two files: the examples are both files' lines in order, as the commitment the job reports shows.
        var first = node.File("first.txt");
        var second = node.File("second.txt");
        await File.WriteAllLinesAsync(first, FineTuneCliNode.Sample.Take(10));
        await File.WriteAllLinesAsync(second, ["", .. FineTuneCliNode.Sample.Skip(10), "  "]);
        var started = await node.StartAsync(
            "--model", "kjv-char-mlp", "--examples", first, "--examples", second, "--name", "cli-cancelled", "--salt", Salt, "--no-wait");
        Assert.True(started.ExitCode == 0, $"exit {started.ExitCode}: {started.Error}\n{started.Output}");
        var jobId = FineTuneCliNode.JobId(started.Output);
        Assert.Contains($"edge fine-tune status --node {node.Url} --job {jobId}", started.Output, StringComparison.Ordinal);

        var status = await RunAsync("status", jobId);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Matches($"job {jobId}: ({FineTuneStates.Queued}|{FineTuneStates.Running})", status.Output);
        Assert.Contains("derivative    cli-cancelled (not written yet)", status.Output, StringComparison.Ordinal);
        Assert.Contains($"training data commitment {Commitments.TrainingData(Bytes32.Parse(Salt), FineTuneCliNode.Sample)}", status.Output, StringComparison.Ordinal);

        var cancelled = await RunAsync("cancel", jobId);
        Assert.True(cancelled.ExitCode == 0, cancelled.Error);
        Assert.Contains($"job {jobId}: {FineTuneStates.Cancelled}", cancelled.Output, StringComparison.Ordinal);

        var again = await RunAsync("cancel", jobId);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"409 {FineTuneProblemTypes.JobFinished}", again.Error, StringComparison.Ordinal);
        var after = await RunAsync("status", jobId);
        Assert.Contains($"job {jobId}: {FineTuneStates.Cancelled}", after.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(await node.ModelsAsync(), m => m.Name == "cli-cancelled");
    }

    [Theory]
    [InlineData("status", "0123456789abcdef0123456789abcdef", "404 " + FineTuneProblemTypes.UnknownJob)]
    [InlineData("cancel", "0123456789abcdef0123456789abcdef", "404 " + FineTuneProblemTypes.UnknownJob)]
    [InlineData("status", "../../v1/models", "is not a fine-tune job id")]
    [InlineData("cancel", "12345", "is not a fine-tune job id")]
    public async Task StatusAndCancel_UnknownOrMalformedJob_ExitsOneWithAMessage(string command, string jobId, string expected)
    {
        var result = await RunAsync(command, jobId);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string command, string jobId) =>
        CliRunner.RunAsync("edge", "fine-tune", command, "--node", node.Url, "--job", jobId);
}
