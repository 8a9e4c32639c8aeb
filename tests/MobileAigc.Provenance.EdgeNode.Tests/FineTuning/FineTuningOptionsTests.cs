namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary><c>EdgeNode:FineTuning</c> is validated at start: the real host refuses a bad value, naming it.</summary>
public sealed class FineTuningOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("Concurrency", "0")]
    [InlineData("MaxQueued", "-1")]
    [InlineData("MaxExampleBytes", "0")]
    [InlineData("MaxDuration", "00:00:00")]
    [InlineData("PriceInGenerations", "0")]
    [InlineData("Steps", "0")]
    [InlineData("Steps", "100001")]
    [InlineData("MaxPictures", "1")]
    [InlineData("MaxPictures", "65")]
    [InlineData("MaxPictureBytes", "0")]
    public async Task Start_BadFineTuningSetting_IsRefusedNamingIt(string setting, string value)
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EdgeNodeHost.StartAsync(_dir.Path, ledger: null, new Dictionary<string, string> { [$"EdgeNode__FineTuning__{setting}"] = value }));

        Assert.Contains("configuration refused", refused.Message, StringComparison.Ordinal);
        Assert.Contains(setting, refused.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
