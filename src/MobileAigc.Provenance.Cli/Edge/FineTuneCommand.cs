using System.CommandLine;
using System.Text.Json;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// <c>provenance edge fine-tune start|status|cancel</c>: a creator's fine-tune at a running edge node, over its HTTP API
/// through the client library like any creator's app (the CLI loads no node here). The job id is the only handle on the job.
/// </summary>
internal static class FineTuneCommand
{
    public static Command Create()
    {
        var node = new Option<string>("--node") { Description = "The edge node's base URL (e.g. http://127.0.0.1:8080).", Required = true };
        var job = new Option<string>("--job") { Description = "The job id edge fine-tune start printed (32 hex digits).", Required = true };

        var status = new Command("status", "Where a fine-tune job stands: state, steps, the derivative's hash, losses, the training data's commitment and salt.") { node, job };
        status.SetAction((parse, cancellationToken) => RunAsync("edge fine-tune status", async () =>
        {
            var jobId = FineTuneArguments.JobId(parse.GetValue(job));
            using var http = ServiceHttp.Create("--node", parse.GetValue(node)!);
            FineTuneJobText.Print(await Reader(http).GetFineTuneAsync(jobId, cancellationToken));
            return 0;
        }));

        var cancel = new Command("cancel", "Cancel a queued or running fine-tune job (a running one stops at its next step); the node gives its fee back.") { node, job };
        cancel.SetAction((parse, cancellationToken) => RunAsync("edge fine-tune cancel", async () =>
        {
            var jobId = FineTuneArguments.JobId(parse.GetValue(job));
            using var http = ServiceHttp.Create("--node", parse.GetValue(node)!);
            FineTuneJobText.Print(await Reader(http).CancelFineTuneAsync(jobId, cancellationToken));
            return 0;
        }));

        return new Command("fine-tune", "Fine-tune a model a running edge node serves on your own texts, and read or cancel the job.")
        {
            StartCommand(node), status, cancel,
        };
    }

    private static Command StartCommand(Option<string> node)
    {
        var model = new Option<string>("--model") { Description = "The base model: its name or 0x SHA-256 (the node's GET v1/models lists them).", Required = true };
        var examples = new Option<FileInfo[]>("--examples")
        {
            Description = "For a text model: a UTF-8 text file of examples, one example per line, blank lines ignored (repeatable; the files are joined in order). They go to this node only; the node keeps only a salted commitment to them.",
        };
        var pictures = new Option<FileInfo[]>("--pictures")
        {
            Description = "For an image model, instead of --examples: the PNG, JPEG or WebP pictures whose palette and tone it should learn (2 to 16 by default; repeatable). Like texts, they stay at the node.",
            AllowMultipleArgumentsPerToken = true,
        };
        var name = new Option<string>("--name") { Description = "The derivative's name: 1 to 64 of a-z, 0-9 and -, unique at the node.", Required = true };
        var seed = new Option<ulong?>("--seed") { Description = "The training seed. Default: the node's (1). The same examples, salt, seed, name, owner and base model give the same derivative." };
        var owner = new Option<string>("--owner") { Description = "Who owns the derivative: creator (you, the payer) or provider (the node's operator).", DefaultValueFactory = _ => DerivativeOwners.Creator };
        owner.AcceptOnlyFromAmong(DerivativeOwners.Creator, DerivativeOwners.Provider);
        var visibility = new Option<string>("--visibility") { Description = "private (served to its owner only) or public (to anyone).", DefaultValueFactory = _ => ModelVisibilities.Private };
        visibility.AcceptOnlyFromAmong(ModelVisibilities.Private, ModelVisibilities.Public);
        var channel = new Option<string?>("--channel") { Description = "Your channel for the BASE model at this node (0x id): pays the node's fine-tune fee when the model has a price." };
        var keystore = new Option<FileInfo>("--creator-keystore") { Description = "Your keystore: signs the fee's voucher, or with a free model the request that makes you the owner.", Required = true };
        var passphrase = new Option<FileInfo>("--creator-passphrase-file") { Description = "The file holding the creator keystore's passphrase.", Required = true };
        var salt = new Option<string?>("--salt") { Description = "The training data commitment's salt (0x, 64 hex digits). Default: a fresh random one the job reports." };
        var noWait = new Option<bool>("--no-wait") { Description = "Print the job id and return; read it later with edge fine-tune status." };

        var start = new Command("start", "Start a fine-tune of a model the node serves on your examples; shows its progress until it ends (unless --no-wait).")
        {
            node, model, examples, pictures, name, seed, owner, visibility, channel, keystore, passphrase, salt, noWait,
        };
        start.SetAction((parse, cancellationToken) => RunAsync("edge fine-tune start", async () =>
        {
            // Everything local is checked before the keystore is opened (a second of scrypt) or the node is asked.
            var baseModel = FineTuneArguments.Model(parse.GetValue(model));
            var channelId = FineTuneArguments.OptionalBytes32("--channel", parse.GetValue(channel), "a channel id");
            var chosenSalt = FineTuneArguments.OptionalBytes32("--salt", parse.GetValue(salt), "a salt");
            var pictureFiles = parse.GetValue(pictures);
            var (texts, images) = pictureFiles is { Length: > 0 }
                ? parse.GetValue(examples) is { Length: > 0 }
                    ? throw new ArgumentException("Give --examples (a text model) or --pictures (an image model), not both.")
                    : ((IReadOnlyList<string>?)null, await FineTuneArguments.ReadPicturesAsync(pictureFiles, cancellationToken))
                : (await FineTuneArguments.ReadExamplesAsync(parse.GetValue(examples), cancellationToken), (IReadOnlyList<byte[]>?)null);
            using var http = ServiceHttp.Create("--node", parse.GetValue(node)!);
            var key = KeystoreFile.Decrypt(parse.GetValue(keystore)!, parse.GetValue(passphrase)!);
            var client = new EdgeNodeClient(http, key);

            // Naming the creator makes the client sign the request when it is free (the creator is then the owner); a paid
            // request is proven by its voucher.
            var request = new FineTuneRequest(texts, parse.GetValue(name), parse.GetValue(seed), parse.GetValue(owner), parse.GetValue(visibility),
                Creator: new CreatorIdentity(EvmAddress.Parse(key.GetPublicAddress())), Salt: chosenSalt, Pictures: images);
            var accepted = await client.StartFineTuneAsync(baseModel, request, channelId, cancellationToken);
            Console.WriteLine($"job {accepted.JobId} accepted: {(images is null ? $"{texts!.Count} examples" : $"{images.Count} pictures")}, fine-tuning {accepted.Job.ParentName} into {accepted.Job.Name}");
            Console.WriteLine("  keep the job id: it is the only way to read or cancel the job (the node lists no jobs).");
            if (parse.GetValue(noWait))
            {
                Console.WriteLine($"  read it with: provenance edge fine-tune status --node {http.BaseAddress} --job {accepted.JobId}");
                return 0;
            }

            FineTuneJob finished;
            try
            {
                finished = await FineTuneJobWatch.UntilFinishedAsync(client, accepted.Job, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"edge fine-tune start: stopped waiting; job {accepted.JobId} goes on at the node (edge fine-tune status / cancel).");
                return 130;
            }

            FineTuneJobText.Print(finished);
            if (finished.State != FineTuneStates.Succeeded)
            {
                await Console.Error.WriteLineAsync($"edge fine-tune start: job {finished.JobId} {finished.State}{(finished.Error is { } error ? $": {error}" : "")}");
                return 1;
            }

            FineTuneJobText.PrintNextSteps(finished);
            return 0;
        }));
        return start;
    }

    // Reading and cancelling need no key (the job id is the capability); the client wants one for the vouchers it never signs here.
    private static EdgeNodeClient Reader(HttpClient http) => new(http, EthECKey.GenerateKey());

    // The node's refusals and an unreachable or silent node become a message and exit 1, like every other bad input.
    private static Task<int> RunAsync(string command, Func<Task<int>> action) => CliErrors.RunAsync(command, async () =>
    {
        try
        {
            return await action();
        }
        catch (EdgeNodeProblemException e)
        {
            await Console.Error.WriteLineAsync(
                $"{command}: the node refused ({(int)e.StatusCode} {e.Problem.Type ?? "no problem type"}): {e.Problem.Detail ?? e.Problem.Title}");
            if (e.StatusCode == System.Net.HttpStatusCode.PaymentRequired)
            {
                await Console.Error.WriteLineAsync($"{command}: the base model has a price: pay the fee with --channel, your channel for that model at this node (provenance channel open).");
            }

            return 1;
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"the node does not answer ({e.Message}).", e);
        }
        catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
        {
            throw new InvalidOperationException("the node did not answer within 30 s.", e);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"the answer is not an edge node's ({e.Message}).", e);
        }
    });
}
