using System.CommandLine;
using System.Text.Json;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.EdgeNode;
using MobileAigc.Provenance.EdgeNode.Provenance;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// <c>provenance edge generate image|text</c>: one generation on this machine as an edge node:
/// the content file, and beside it <c>&lt;file&gt;.record.json</c> with the signed record and the
/// creator's salts. The record also waits in the node's outbox for the ledger. <c>provenance edge fine-tune</c> talks to a
/// running node instead (<see cref="FineTuneCommand"/>).
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
        var creatorKeystore = new Option<FileInfo?>("--creator-keystore")
        {
            Description = "The creator's keystore: the creator signs the request and is named in the record. Default: anonymous.",
        };
        var creatorPassphrase = new Option<FileInfo?>("--creator-passphrase-file") { Description = "The file holding the creator keystore's passphrase." };
        var privateCreator = new Option<bool>("--private-creator") { Description = "Record only a salted commitment to the creator's address (no signature needed)." };
        var dataDir = new Option<string>("--data-dir") { Description = "The node's folder (keystore, watermark key, outbox).", DefaultValueFactory = _ => Path.Combine("data", "edge") };
        var models = new Option<string>("--models") { Description = "The models folder.", DefaultValueFactory = _ => "models" };
        var chainId = new Option<long>("--chain-id") { Description = "The ledger contract's chain id.", DefaultValueFactory = _ => 31337 };
        var ledger = new Option<string>("--ledger-contract") { Description = "The ProvenanceLedger address the record is signed for.", Required = true };
        var width = new Option<int?>("--width") { Description = "Image width, 256 to 2,048. Default: the model's." };
        var height = new Option<int?>("--height") { Description = "Image height, 256 to 2,048. Default: the model's." };
        var input = new Option<FileInfo?>("--input") { Description = "Image-to-image: the PNG, JPEG or WebP to edit or vary (at most 8 MiB, 2,048 x 2,048 pixels)." };
        var strength = new Option<double?>("--strength") { Description = "With --input: 0 (keep the input) to 1 (ignore it). Default: 0.6." };
        var parent = new Option<string?>("--parent") { Description = "With --input: the input's own record digest (0x, 64 hex digits); the record then names it as its parent." };
        var format = new Option<string>("--format")
        {
            Description = "The file format: png (Content Credentials in a caBX chunk) or jpeg (in APP11 segments).",
            DefaultValueFactory = _ => ImageOutputFormats.Png,
        };
        format.AcceptOnlyFromAmong(ImageOutputFormats.Png, ImageOutputFormats.Jpeg);
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Tokens to generate, 1 to 2,000. Default: the model's." };

        var image = new Command("image", "Generate a watermarked PNG or JPEG with its Content Credentials and signed provenance record.")
        {
            width, height, format, input, strength, parent,
        };
        var text = new Command("text", "Generate a watermarked text with its signed provenance record.") { maxTokens };
        foreach (var command in new[] { image, text })
        {
            foreach (var option in new Option[] { prompt, output, seed, model, creatorKeystore, creatorPassphrase, privateCreator, dataDir, models, chainId, ledger })
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
        // The creator signs the request with their own key, as a remote client would; the node checks it like any request.
        CreatorClaim Creator(ParseResult parse, EdgeNodeRuntime node, Bytes32 modelHash, string text)
        {
            if (parse.GetValue(creatorKeystore) is not { } keystore)
            {
                return parse.GetValue(privateCreator)
                    ? throw new ArgumentException("--private-creator needs --creator-keystore: whose address to commit to.")
                    : CreatorClaim.Anonymous;
            }

            var passphrase = parse.GetValue(creatorPassphrase) ?? throw new ArgumentException("--creator-keystore needs --creator-passphrase-file.");
            var key = KeystoreFile.Decrypt(keystore, passphrase);
            var identity = parse.GetValue(privateCreator)
                ? new CreatorIdentity(EvmAddress.Parse(key.GetPublicAddress()), Private: true)
                : CreatorRequests.Sign(key, node.Node, modelHash, text, node.Issuer.Domain);
            return node.Creators.Check(identity, modelHash, text, carriesVoucher: false)!;
        }

        image.SetAction((parse, cancellationToken) => CliErrors.RunAsync("edge generate image", async () =>
        {
            // Checked before the node opens: a wrong option must not create a keystore or load a model.
            var derivation = await ImageToImageArguments.ReadAsync(parse.GetValue(input), parse.GetValue(strength), parse.GetValue(parent), cancellationToken);
            var request = new GenerateImageRequest(parse.GetValue(prompt)!, parse.GetValue(model), parse.GetValue(seed), parse.GetValue(width), parse.GetValue(height))
            {
                Format = parse.GetValue(format),
                InputImage = derivation.Input,
                Strength = derivation.Strength,
                ParentRecord = derivation.Parent,
            };
            using var node = await EdgeNodeRuntime.OpenAsync(NodeOptions(parse), TimeProvider.System, cancellationToken);
            var served = node.Generator.ValidateImageRequest(request);
            var result = node.Generator.GenerateImage(request, Creator(parse, node, served.ModelHash, request.Prompt));
            var file = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(file.FullName, result.File, cancellationToken);
            await WriteRecordAsync(file, new { result.Record, result.RecordDigest, result.WatermarkPayload, result.Salts, result.Derivation }, cancellationToken);
            var derived = result.Record.ParentRecord is { } named ? $", derived from record {named}" : string.Empty;
            Console.WriteLine($"wrote {file.Name}: record {result.RecordDigest}, sequence {result.Record.Record.Sequence}, node {node.Node}, watermark 0x{result.WatermarkPayload:x16}{derived}");
            return 0;
        }));
        text.SetAction((parse, cancellationToken) => CliErrors.RunAsync("edge generate text", async () =>
        {
            using var node = await EdgeNodeRuntime.OpenAsync(NodeOptions(parse), TimeProvider.System, cancellationToken);
            var request = new GenerateTextRequest(parse.GetValue(prompt)!, parse.GetValue(model), parse.GetValue(seed), parse.GetValue(maxTokens));
            var served = node.Generator.ValidateTextRequest(request);
            var result = node.Generator.GenerateText(request, Creator(parse, node, served.ModelHash, request.Prompt));
            var file = parse.GetValue(output)!;
            await File.WriteAllTextAsync(file.FullName, result.Text, cancellationToken);
            await WriteRecordAsync(file, new { result.Record, result.RecordDigest, result.WatermarkZScore, result.Salts }, cancellationToken);
            Console.WriteLine($"wrote {file.Name}: record {result.RecordDigest}, sequence {result.Record.Record.Sequence}, node {node.Node}, watermark z = {result.WatermarkZScore:0.0}");
            return 0;
        }));

        return new Command("edge", "Run this machine as an edge node, or fine-tune a model at a running one.")
        {
            new Command("generate", "Generate content with its signed provenance record.") { image, text },
            FineTuneCommand.Create(),
        };
    }

    private static Task WriteRecordAsync(FileInfo content, object record, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(content.FullName + ".record.json", JsonSerializer.Serialize(record, Json), cancellationToken);
}
