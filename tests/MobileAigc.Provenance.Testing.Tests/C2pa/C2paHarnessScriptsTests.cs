using System.Text.Json.Nodes;
using MobileAigc.Provenance.Testing.C2pa;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Testing.Tests.C2pa;

/// <summary>The harness's command-line scripts (<c>read.mjs</c>, <c>sign.mjs</c>) as a person runs them.</summary>
public sealed class C2paHarnessScriptsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("c2pa-scripts-").FullName;

    private static Task<ProcessResult> NodeAsync(params string[] arguments) =>
        ChildProcess.RunAsync("node", arguments, workingDirectory: C2paSdk.HarnessFolder, timeout: TimeSpan.FromSeconds(60));

    private static string FixturePath(string name) => RepositoryPaths.Combine("tests", "fixtures", "c2pa-rs", name);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ReadScript_FileWithoutManifest_SaysSoAndExitsZero()
    {
        var result = await NodeAsync("read.mjs", FixturePath("no_manifest.jpg"), "image/jpeg");

        Assert.Equal(0, result.ExitCode);
        Assert.True(JsonNode.Parse(result.Output)?["no_manifest"]?.GetValue<bool>());
    }

    [Fact]
    public async Task ReadScript_MissingArguments_ExitsTwoWithUsage()
    {
        var result = await NodeAsync("read.mjs", FixturePath("C.jpg"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage: node read.mjs FILE MIME", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignScript_ThenReadScriptWithTheCa_IsTrusted()
    {
        var credentials = C2paTestCertificates.Create(nameof(SignScript_ThenReadScriptWithTheCa_IsTrusted));
        var asset = Write("in.jpg", TestImages.Encode("image/jpeg"));
        var manifest = Write("manifest.json", """{"title":"in.jpg","assertions":[{"label":"c2pa.actions.v2","data":{"actions":[{"action":"c2pa.created","digitalSourceType":"http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"}]}}]}""");
        var chain = Write("chain.pem", credentials.ChainPem);
        var key = Write("key.pem", credentials.PrivateKeyPem);
        var anchors = Write("anchors.pem", credentials.TrustAnchorPem);
        var output = Path.Combine(_folder, "out.jpg");

        var sign = await NodeAsync("sign.mjs", asset, "image/jpeg", manifest, chain, key, output);
        var read = await NodeAsync("read.mjs", output, "image/jpeg", anchors);

        Assert.True(sign.ExitCode == 0, sign.Error);
        Assert.True(read.ExitCode == 0, read.Error);
        Assert.Equal("Trusted", JsonNode.Parse(read.Output)?["validation_state"]?.GetValue<string>());
    }

    [Fact]
    public async Task SignScript_KeyFileMissing_ExitsTwoWithTheReason()
    {
        var result = await NodeAsync("sign.mjs", FixturePath("no_manifest.jpg"), "image/jpeg", "m.json", "chain.pem", "nokey.pem", "out.jpg");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("ENOENT", result.Error, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
