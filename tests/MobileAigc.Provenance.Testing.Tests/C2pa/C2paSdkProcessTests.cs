using MobileAigc.Provenance.Testing.C2pa;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>
/// How <see cref="C2paSdk"/> handles a harness that is missing, dies or hangs, shown with small stand-in
/// <c>serve.mjs</c> scripts: a clear exception with node's stderr, never a hang.
/// </summary>
public sealed class C2paSdkProcessTests : IDisposable
{
    // Starting node may take seconds on a busy machine; answers that never come are waited for briefly.
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(3);

    private readonly string _folder = Directory.CreateTempSubdirectory("c2pa-standin-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task StartAsync_HarnessNotInstalled_SaysHowToInstallIt()
    {
        var error = await Assert.ThrowsAsync<C2paSdkException>(() => C2paSdk.StartAsync(_folder, Start, Answer, CancellationToken.None));

        Assert.Contains("scripts/bootstrap.sh", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ProcessDiesAtStart_ReportsItsStderrAndExitCode()
    {
        StandIn("console.error('cannot load the wasm'); process.exit(7);");

        var error = await Assert.ThrowsAsync<C2paSdkException>(() => C2paSdk.StartAsync(_folder, Start, Answer, CancellationToken.None));

        Assert.Contains("ended during the start", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot load the wasm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoAnswerInTime_TimesOutWithStderrAndTheNextCallRestartsTheProcess()
    {
        // Answers every request but the first, which it never answers.
        StandIn($$"""
            console.error('stuck on purpose');
            process.stdout.write('{"ready":true}\n');
            {{AnswerFromSecondRequest}}
            """);
        await using var sdk = await C2paSdk.StartAsync(_folder, Start, Answer, CancellationToken.None);

        var first = await Assert.ThrowsAsync<C2paSdkException>(() => sdk.ReadAsync([1, 2, 3], "image/png"));
        File.WriteAllText(Path.Combine(_folder, "answer-first.flag"), "");
        var second = await sdk.ReadAsync([1, 2, 3], "image/png");

        Assert.Contains("did not answer the read of a file (image/png) within 3 s", first.Message, StringComparison.Ordinal);
        Assert.Contains("stuck on purpose", first.Message, StringComparison.Ordinal);
        Assert.Equal(C2paReadOutcome.NoManifest, second.Outcome);
        Assert.Equal(1, sdk.Restarts);
    }

    [Fact]
    public async Task ReadAsync_AfterAnAnswerSayingNodeEnds_StartsItAgain()
    {
        StandIn("""
            process.stdout.write('{"ready":true}\n');
            process.stdin.once('data', (line) => {
              const id = JSON.parse(line).id;
              process.stdout.write(JSON.stringify({ id, ok: true, result: { rejected: true, error: 'wasm trap' }, ending: true }) + '\n');
              process.exit(3);
            });
            """);
        await using var sdk = await C2paSdk.StartAsync(_folder, Start, Answer, CancellationToken.None);

        var first = await sdk.ReadAsync([1, 2, 3], "image/png");
        var second = await sdk.ReadAsync([1, 2, 3], "image/png");

        Assert.Equal(C2paReadOutcome.Rejected, first.Outcome);
        Assert.Equal(C2paReadOutcome.Rejected, second.Outcome);
        Assert.Equal(1, sdk.Restarts);
    }

    [Fact]
    public async Task ReadAsync_AnswerToAnotherRequest_IsRefused()
    {
        StandIn("""
            process.stdout.write('{"ready":true}\n');
            process.stdin.on('data', () => process.stdout.write('{"id":999,"ok":true,"result":{"no_manifest":true}}\n'));
            """);
        await using var sdk = await C2paSdk.StartAsync(_folder, Start, Answer, CancellationToken.None);

        var error = await Assert.ThrowsAsync<C2paSdkException>(() => sdk.ReadAsync([1, 2, 3], "image/png"));

        Assert.Contains("answer to another", error.Message, StringComparison.Ordinal);
    }

    // Node code that answers each request line with "no manifest", unless it is the first one and answer-first.flag
    // is missing beside it (so a process started after the flag is written answers at once).
    private const string AnswerFromSecondRequest = """
        const fs = await import('node:fs');
        let seen = 0;
        process.stdin.on('data', (chunk) => {
          for (const line of chunk.toString().split('\n').filter((l) => l.length > 0)) {
            if (seen++ === 0 && !fs.existsSync('answer-first.flag')) continue;
            const id = JSON.parse(line).id;
            process.stdout.write(JSON.stringify({ id, ok: true, result: { no_manifest: true, error: 'none' } }) + '\n');
          }
        });
        """;

    // A stand-in harness: the folder the real one would be in, with its package marker and this serve.mjs.
    private void StandIn(string serveScript)
    {
        Directory.CreateDirectory(Path.Combine(_folder, "node_modules", "@contentauth", "c2pa-wasm"));
        File.WriteAllText(Path.Combine(_folder, "serve.mjs"), serveScript);
    }
}
