namespace MobileAigc.Provenance.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_OnAManagedAnvil_CompletesEveryStep()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync("demo", "--records", "5");

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("5 of 5 proofs accepted", output);
        Assert.Contains("reverted with VoucherNonceTooLow", output);
        Assert.Contains("round trip complete", output);
    }

    [Theory]
    [InlineData("--records", "0")]
    [InlineData("--records", "65537")]
    [InlineData("--records", "many")]
    [InlineData("--model-file", "/does/not/exist.onnx")]
    [InlineData("--no-such-option")]
    public async Task Demo_BadArguments_ExitNonZeroWithAMessage(params string[] arguments)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(["demo", .. arguments]);

        Assert.NotEqual(0, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task Demo_AnvilMissing_ExitsNonZeroNamingIt()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("demo", "--anvil", "/no/anvil/here");

        Assert.Equal(1, exitCode);
        Assert.Contains("demo failed: No anvil executable at '/no/anvil/here'", error);
    }
}
