using System.CommandLine;
using System.Text.Json;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// <c>provenance edge generate image|text</c>: one generation on this machine as an edge node:
/// the content file, and beside it <c>&lt;file&gt;.record.json</c> with the signed record and the
/// creator's salts. The record also waits in the node's outbox for the ledger.
/// </summary>
internal static class EdgeCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create()
    {
        var prompt = new Option<string>("--prompt") { Description = "What to generate (committed salted in the record, never stored in clear).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the content; the record goes to <out>.record.json.", Required = true };
        var seed = new Option<ulong?>("--seed") { Description = "The seed. Default: random." };
        var model = new Option<string?>("--model") { Description = "The model's name or 0x hash. Default: the node's first model of the kind." };
        var creator = new Option<string?>("--creator") { Description = "The creator's address, recorded in the record. Default: anonymous." };
        var privateCreator = new Option<bool>("--private-creator") { Description = "Record only a salted commitment to --creator." };
        var dataDir = new Option<string>("--data-dir") { Description = "The node's folder (keystore, watermark key, outbox).", DefaultValueFactory = _ => Path.Combine("data", "edge") };
        var models = new Option<string>("--models") { Description = "The models folder.", DefaultValueFactory = _ => "models" };
        var chainId = new Option<long>("--chain-id") { Description = "The ledger contract's chain id.", DefaultValueFactory = _ => 31337 };
        var ledger = new Option<string>("--ledger-contract") { Description = "The ProvenanceLedger address the record is signed for.", Required = true };
        var width = new Option<int?>("--width") { Description = "Image width, 256 to 2,048. Default: the model's." };
        var height = new Option<int?>("--height") { Description = "Image height, 256 to 2,048. Default: the model's." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Tokens to generate, 1 to 2,000. Default: the model's." };

        var image = new Command("image", "Generate a watermarked PNG with its signed provenance record.") { width, height };
        var text = new Command("text", "Generate a watermarked text with its signed provenance record.") { maxTokens };
        foreach (var command in new[] { image, text })
        {
            foreach (var option in new Option[] { prompt, output, seed, model, creator, privateCreator, dataDir, models, chainId, ledger })
            {
                command.Options.Add(option);
            }
        }

        EdgeNodeOptions NodeOptions(ParseResult parse) => new()
        {
            DataDirectory = parse.GetValue(dataDir)!,
            ModelsDirectory = parse.GetValue(models)!,
            ChainId = parse.GetValue(chainId),
            ProvenanceLedger = parse.GetValue(ledger)!,
        };
        CreatorIdentity? Creator(ParseResult parse) => parse.GetValue(creator) is { } address
            ? new CreatorIdentity(EvmAddress.Parse(address), parse.GetValue(privateCreator))
            : null;

        image.SetAction((parse, cancellationToken) => CliErrors.RunAsync("edge generate image", async () =>
        {
            using var node = await EdgeNodeRuntime.OpenAsync(NodeOptions(parse), TimeProvider.System, cancellationToken);
            var result = node.Generator.GenerateImage(new GenerateImageRequest(
                parse.GetValue(prompt)!, parse.GetValue(model), parse.GetValue(seed), parse.GetValue(width), parse.GetValue(height), Creator(parse)));
            var file = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(file.FullName, result.Png, cancellationToken);
            await WriteRecordAsync(file, new { result.Record, result.RecordDigest, result.WatermarkPayload, result.Salts }, cancellationToken);
            Console.WriteLine($"wrote {file.Name}: record {result.RecordDigest}, sequence {result.Record.Record.Sequence}, node {node.Node}, watermark 0x{result.WatermarkPayload:x16}");
            return 0;
        }));
        text.SetAction((parse, cancellationToken) => CliErrors.RunAsync("edge generate text", async () =>
        {
            using var node = await EdgeNodeRuntime.OpenAsync(NodeOptions(parse), TimeProvider.System, cancellationToken);
            var result = node.Generator.GenerateText(new GenerateTextRequest(
                parse.GetValue(prompt)!, parse.GetValue(model), parse.GetValue(seed), parse.GetValue(maxTokens), Creator: Creator(parse)));
            var file = parse.GetValue(output)!;
            await File.WriteAllTextAsync(file.FullName, result.Text, cancellationToken);
            await WriteRecordAsync(file, new { result.Record, result.RecordDigest, result.WatermarkZScore, result.Salts }, cancellationToken);
            Console.WriteLine($"wrote {file.Name}: record {result.RecordDigest}, sequence {result.Record.Record.Sequence}, node {node.Node}, watermark z = {result.WatermarkZScore:0.0}");
            return 0;
        }));

        return new Command("edge", "Run this machine as an edge node.")
        {
            new Command("generate", "Generate content with its signed provenance record.") { image, text },
        };
    }

    private static Task WriteRecordAsync(FileInfo content, object record, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(content.FullName + ".record.json", JsonSerializer.Serialize(record, Json), cancellationToken);
}
