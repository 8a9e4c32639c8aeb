using System.Text.RegularExpressions;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Testing.Network;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>
/// <c>provenance edge fine-tune start</c> against a real edge-node process, payments off: a job on the shipped creator sample
/// runs to success and its derivative is served; every bad input exits 1 with a message (the node's problem type when the
/// node refuses).
/// </summary>
public sealed class EdgeFineTuneCommandTests(ShortFineTuneCliNode node) : IClassFixture<ShortFineTuneCliNode>
{
    private const string Salt = "0x5a17000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public async Task Start_Sample_WaitsForSuccessPrintsTheDerivativeAndTheNodeServesIt()
    {
        var (exitCode, output, error) = await node.StartAsync(
            "--model", "kjv-char-mlp", "--examples", FineTuneCliNode.SampleFile, "--name", "cli-harbour", "--seed", "3",
            "--visibility", "public", "--salt", Salt);

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("keep the job id", output, StringComparison.Ordinal);
        Assert.Contains("succeeded", output, StringComparison.Ordinal);
        var derivative = Bytes32.Parse(Regex.Match(output, @"derivative +cli-harbour (0x[0-9a-f]{64})").Groups[1].Value);
        var models = await node.ModelsAsync();
        var parent = models.Single(m => m.Name == "kjv-char-mlp");
        var listed = models.Single(m => m.Name == "cli-harbour");
        Assert.Equal((derivative, (Bytes32?)parent.ModelHash, ModelVisibilities.Public), (listed.ModelHash, listed.Parent, listed.Visibility));
        Assert.Contains($"owner         {node.Creator}", output, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"held-out loss \d+\.\d+ -> \d+\.\d+", output);
        // The commitment printed opens with the salt given and the file's lines: the creator can check what the node holds.
        Assert.Contains($"training data commitment {Commitments.TrainingData(Bytes32.Parse(Salt), FineTuneCliNode.Sample)}", output, StringComparison.Ordinal);
        Assert.Contains($"training data salt       {Salt}", output, StringComparison.Ordinal);
        Assert.Contains($"provenance model register --model {derivative} --parent {parent.ModelHash}", output, StringComparison.Ordinal);
        Assert.Contains("provenance model approve-node", output, StringComparison.Ordinal);
        Assert.Contains("provenance node models add", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PicturesForTheImageModel_MakesAnImageDerivativeCommittedToThem()
    {
        var pictures = Enumerable.Range(1, 6).Select(i => Path.Combine(RepositoryPaths.Models, "samples", "images", $"sunset-{i}.jpg")).ToArray();

        var (exitCode, output, error) = await node.StartAsync(["--model", "cppn-image", "--pictures", .. pictures, "--name", "cli-sunset", "--salt", Salt]);

        Assert.True(exitCode == 0, $"exit {exitCode}: {error}\n{output}");
        Assert.Contains("6 pictures", output, StringComparison.Ordinal);
        var derivative = Bytes32.Parse(Regex.Match(output, @"derivative +cli-sunset (0x[0-9a-f]{64})").Groups[1].Value);
        var listed = (await node.ModelsAsync()).Single(m => m.Name == "cli-sunset");
        Assert.Equal((derivative, "image"), (listed.ModelHash, listed.Kind));
        Assert.Contains($"training data commitment {Commitments.TrainingPictures(Bytes32.Parse(Salt), [.. pictures.Select(File.ReadAllBytes)])}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ExamplesAndPicturesTogether_ExitsOneBeforeAskingTheNode()
    {
        var (exitCode, _, error) = await node.StartAsync(
            "--model", "cppn-image", "--examples", FineTuneCliNode.SampleFile, "--pictures", Path.Combine(RepositoryPaths.Models, "samples", "images", "sunset-1.jpg"), "--name", "cli-both");

        Assert.Equal(1, exitCode);
        Assert.Contains("not both", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-file", "no file at")]
    [InlineData("blank-file", "holds no example")]
    [InlineData("oversized-file", "hold more than 16,777,216 bytes")]
    [InlineData("bad-hash", "is not a model hash")]
    [InlineData("bad-owner", "someone")]
    [InlineData("bad-visibility", "everyone")]
    [InlineData("bad-channel", "is not a channel id")]
    [InlineData("bad-salt", "is not a salt")]
    [InlineData("bad-url", "--node must be an http(s) URL")]
    [InlineData("unreachable-node", "does not answer")]
    [InlineData("unknown-model", GenerationProblemTypes.UnknownModel)]
    [InlineData("unknown-model-hash", GenerationProblemTypes.UnknownModel)]
    [InlineData("bad-name", FineTuneProblemTypes.InvalidParameter)]
    [InlineData("wrong-passphrase", "wrong passphrase")]
    public async Task Start_BadInput_ExitsOneWithAMessage(string kind, string expected)
    {
        var blank = node.File("blank.txt");
        await File.WriteAllTextAsync(blank, "\n   \n\n");
        var oversized = node.File("oversized.txt");
        await using (var file = File.Create(oversized))
        {
            // One byte over the CLI's bound (16 MiB); sparse, so it costs no disk.
            file.SetLength((16L * 1024 * 1024) + 1);
        }

        var wrongPassphrase = node.File("wrong.passphrase");
        await File.WriteAllTextAsync(wrongPassphrase, "not the passphrase\n");
        string[] Options(string model = "kjv-char-mlp", string examples = "", string name = "cli-refused") =>
            ["--model", model, "--examples", examples.Length == 0 ? FineTuneCliNode.SampleFile : examples, "--name", name];
        string[] options = kind switch
        {
            "missing-file" => Options(examples: node.File("no-such-file.txt")),
            "blank-file" => Options(examples: blank),
            "oversized-file" => Options(examples: oversized),
            "bad-hash" => Options(model: "0x1234"),
            "bad-owner" => [.. Options(), "--owner", "someone"],
            "bad-visibility" => [.. Options(), "--visibility", "everyone"],
            "bad-channel" => [.. Options(), "--channel", "0xabc"],
            "bad-salt" => [.. Options(), "--salt", "salty"],
            "unknown-model" => Options(model: "no-such-model"),
            "unknown-model-hash" => Options(model: Bytes32.Sha256([1, 2, 3]).ToString()),
            "bad-name" => Options(name: "Not A Name!"),
            _ => Options(),
        };
        var result = kind switch
        {
            "bad-url" => await CliRunner.RunAsync(["edge", "fine-tune", "start", "--node", "ftp://node", "--creator-keystore", node.Keystore,
                "--creator-passphrase-file", node.Passphrase, .. options]),
            "unreachable-node" => await CliRunner.RunAsync(["edge", "fine-tune", "start", "--node", $"http://127.0.0.1:{FreePorts.Loopback()}",
                "--creator-keystore", node.Keystore, "--creator-passphrase-file", node.Passphrase, .. options]),
            "wrong-passphrase" => await CliRunner.RunAsync(["edge", "fine-tune", "start", "--node", node.Url, "--creator-keystore", node.Keystore,
                "--creator-passphrase-file", wrongPassphrase, .. options]),
            _ => await node.StartAsync(options),
        };

        Assert.True(result.ExitCode == 1, $"{kind}: exit {result.ExitCode}\n{result.Output}\n{result.Error}");
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(await node.ModelsAsync(), m => m.Name == "cli-refused");
    }
}
