using System.Net.Http.Json;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using System.Text.Json;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Client.Discovery;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>
/// What the creator does: opens a payment channel with its own key, asks the node for content
/// through the creators' client library (which signs a voucher per paid request), keeps the files
/// with their records, and closes the channel when it expires.
/// </summary>
internal sealed class Creator : IDisposable
{
    private static readonly JsonSerializerOptions RecordJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly Script _script;
    private readonly AnvilNode _anvil;
    private readonly Actor _creator;
    private readonly string _outputDirectory;
    private readonly HttpClient _node;
    private readonly EdgeNodeClient _client;
    private readonly PaymentChannelsClient _channels;

    /// <summary>The creator <paramref name="creator"/>, a client of the node at <paramref name="node"/>, keeping its files in <paramref name="outputDirectory"/>.</summary>
    public Creator(Script script, AnvilNode anvil, ProvenanceContracts contracts, Actor creator, Uri node, string outputDirectory)
    {
        _script = script;
        _anvil = anvil;
        _creator = creator;
        _outputDirectory = outputDirectory;
        _node = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(60) };
        _client = new EdgeNodeClient(_node, _creator.Key);
        _channels = contracts.ChannelsFor(creator.Web3);
    }

    /// <summary>
    /// Opens a channel bound to the node for <paramref name="model"/> in the native currency (the token the
    /// node accepts), deposits enough for <paramref name="images"/> and then some, and waits until the node lists the price.
    /// </summary>
    public async Task<Bytes32> OpenChannelAsync(PaymentTerms terms, ServedModelInfo model, BigInteger price, int images, CancellationToken cancellationToken)
    {
        var node = terms.Node ?? throw new InvalidOperationException($"The node takes no payments (GET {EdgeRoutes.Payments}).");
        if (!terms.AcceptedTokens.Any(t => t.Token.IsZero))
        {
            throw new InvalidOperationException($"The node does not accept the native currency (GET {EdgeRoutes.Payments}).");
        }

        var expiry = await _anvil.LatestBlockTimeAsync(cancellationToken) + TimeSpan.FromHours(2);
        var deposit = price * (images + 2);
        var (channelId, _) = await _channels.OpenChannelAsync(node, model.ModelHash, EvmAddress.Zero, deposit, expiry, cancellationToken);
        var opened = await _channels.GetChannelAsync(channelId, cancellationToken);
        // The node reads prices from the registry and keeps them a moment: the client pays the price the node lists.
        await _script.WaitUntilAsync($"the node to list {model.Name}'s price", TimeSpan.FromSeconds(30),
            ct => _client.GetModelsAsync(ct), models => models.Any(m => m.ModelHash == model.ModelHash && m.PricePerGeneration == price), cancellationToken);
        _script.Step($"Creator opened a payment channel to the node for {model.Name}",
            $"{channelId}, bound to node {opened.Node} (provider {opened.Provider}), deposit {Ether.Format(deposit)} ETH, expires {expiry:u}; terms fixed at opening: "
            + $"price {Ether.Format(opened.PricePerGeneration)} ETH, royalties {string.Join("/", opened.RoyaltyBps)} bps; the node lists the price {Ether.Format(price)} ETH (GET {EdgeRoutes.Models})");
        return channelId;
    }

    /// <summary>Asks for <paramref name="count"/> images, each paid on <paramref name="channelId"/>; every second one names the creator only as a private commitment.</summary>
    public async Task<IReadOnlyList<GenerateImageResponse>> GenerateImagesAsync(int count, Bytes32 channelId, CancellationToken cancellationToken)
    {
        var images = new List<GenerateImageResponse>();
        for (var i = 0; i < count; i++)
        {
            var request = new GenerateImageRequest($"a lighthouse at dusk, study {i}", Seed: (ulong)i, Creator: new CreatorIdentity(_creator.Address, Private: i % 2 == 1));
            var image = await _client.GenerateImageAsync(request, channelId, cancellationToken);
            var paid = image.Payment ?? throw new InvalidOperationException($"The node did not charge for image {i}.");
            images.Add(image);
            await SaveAsync($"image-{i}.png", image.File, image.Record, cancellationToken);
            _script.Step($"Node generated image {i}", $"image-{i}.png, paid by voucher {paid.Nonce} ({Ether.Format(paid.CumulativeAmount)} ETH so far, checked against the chain; POST {EdgeRoutes.GenerateImage}); record {image.RecordDigest} (sequence {image.Record.Record.Sequence}), watermark 0x{image.WatermarkPayload:x16}, perceptual hash quality {image.PerceptualHashQuality}, PDQ quality {image.Record.ExtensionsV3?.PdqQuality}{(i % 2 == 1 ? ", creator recorded as a private commitment" : $", creator {image.Record.Record.Creator} proven by the voucher that paid")}");
        }

        return images;
    }

    /// <summary>Sends the last voucher again, and one paying half the price, signed by hand past the client library; the node must refuse both.</summary>
    public async Task TryBadVouchersAsync(Bytes32 channelId, BigInteger price, CancellationToken cancellationToken)
    {
        var paid = _client.Position(channelId) ?? throw new InvalidOperationException("The creator paid nothing on the channel yet.");
        var before = await ServiceHttp.GetAsync<NodeStatus>(_node, EdgeRoutes.Node, cancellationToken);
        var replayed = await RefusalAsync(new PaymentVoucher(channelId, paid.CumulativeAmount, paid.Nonce), cancellationToken);
        var underpaid = await RefusalAsync(new PaymentVoucher(channelId, paid.CumulativeAmount + price / 2, paid.Nonce + 1), cancellationToken);
        var after = await ServiceHttp.GetAsync<NodeStatus>(_node, EdgeRoutes.Node, cancellationToken);
        if (Records(after) != Records(before))
        {
            throw new InvalidOperationException("The node made a record for a refused voucher.");
        }

        _script.Step("Node refused bad vouchers, generating nothing", $"replayed: {replayed}; half the price: {underpaid} (POST {EdgeRoutes.GenerateImage}); records at the node still {Records(after)}");
    }

    /// <summary>Asks for <paramref name="count"/> texts from the free text model.</summary>
    public Task<IReadOnlyList<GenerateTextResponse>> GenerateTextsAsync(int count, CancellationToken cancellationToken) =>
        GenerateTextsAsync(count, model: null, channelId: null, "text", cancellationToken);

    /// <summary>
    /// Asks for <paramref name="count"/> texts from <paramref name="model"/> (the node's first text model when null), each paid on
    /// <paramref name="channelId"/> when given, saved as <c><paramref name="fileStem"/>-i.txt</c>.
    /// </summary>
    public async Task<IReadOnlyList<GenerateTextResponse>> GenerateTextsAsync(
        int count, ServedModelInfo? model, Bytes32? channelId, string fileStem, CancellationToken cancellationToken)
    {
        var texts = new List<GenerateTextResponse>();
        for (var i = 0; i < count; i++)
        {
            // 400 tokens: the verifier's edited copy (a fifth cut, words changed) keeps about 300 scored tokens, on which the
            // text watermark reaches its 1e-5 false-positive rate for every key tried (500 of 500; from 200 tokens, 94 %).
            var request = new GenerateTextRequest("And it came to pass", Seed: (ulong)i, MaxNewTokens: 400, Model: model?.ModelHash.ToString(), Creator: new CreatorIdentity(_creator.Address));
            var text = await _client.GenerateTextAsync(request, channelId, cancellationToken);
            texts.Add(text);
            var name = $"{fileStem}-{i}.txt";
            await SaveAsync(name, Encoding.UTF8.GetBytes(text.Text), text.Record, cancellationToken);
            var proof = text.Payment is { } paid
                ? $"paid by voucher {paid.Nonce} ({Ether.Format(paid.CumulativeAmount)} ETH so far), creator {text.Record.Record.Creator} proven by it"
                : $"creator {text.Record.Record.Creator} proven by their signature over the request";
            _script.Step($"Node generated {name}", $"{text.Text.Length} characters with {model?.Name ?? "the text model"} (POST {EdgeRoutes.GenerateText}): \"{Markup.Escape(Preview(text.Text))}\"; record {text.RecordDigest} (sequence {text.Record.Record.Sequence}, model {text.Record.Record.ModelHash}), {proof}; watermark z = {text.WatermarkZScore:0.0}");
        }

        return texts;
    }

    /// <summary>
    /// Has the node fine-tune <paramref name="baseModel"/> on the creator's texts in <paramref name="examplesFile"/> (one example
    /// per line), as a private derivative the creator owns, and waits for the job.
    /// </summary>
    public async Task<FineTuneJob> FineTuneAsync(ServedModelInfo baseModel, string examplesFile, string name, CancellationToken cancellationToken)
    {
        var examples = (await File.ReadAllTextAsync(examplesFile, cancellationToken))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The base text model is free: the request is signed by the creator, which makes them the owner.
        var request = new FineTuneRequest(examples, name, Owner: DerivativeOwners.Creator, Visibility: ModelVisibilities.Private, Creator: new CreatorIdentity(_creator.Address));
        var accepted = await _client.StartFineTuneAsync(baseModel.ModelHash.ToString(), request, channelId: null, cancellationToken);
        _script.Step($"Creator asked the node to fine-tune {baseModel.Name} on their own texts",
            $"{examples.Length} paragraphs from {Path.GetFileName(examplesFile)} ({new FileInfo(examplesFile).Length / 1024} KiB; POST {EdgeRoutes.FineTune(baseModel.Name)}): job {accepted.JobId[..8]}… {accepted.Job.State}; the texts stay on the node, which keeps only their salted commitment {accepted.Job.TrainingDataCommitment}");
        var started = Stopwatch.GetTimestamp();
        var job = await _script.WaitUntilAsync("the node's fine-tune job", TimeSpan.FromMinutes(3),
            ct => _client.GetFineTuneAsync(accepted.JobId, ct), j => FineTuneStates.IsFinal(j.State), cancellationToken, j => $"{j.State} at step {j.Step}/{j.Steps}");
        if (job is not { State: FineTuneStates.Succeeded, DerivativeHash: { } derivative, HeldOutLossBefore: { } before, HeldOutLossAfter: { } after })
        {
            throw new InvalidOperationException($"The fine-tune job ended {job.State}: {job.Error}");
        }

        _script.Step($"Node fine-tuned {job.Name}",
            $"{job.Steps} training steps in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s; held-out loss {before:0.000} → {after:0.000} nats per character ({(before - after) / before:P0} lower); model {derivative}, parent {job.Parent}, owner {job.Owner}, {job.Visibility}; served by the node (GET {EdgeRoutes.Models}), not yet registered");
        return job;
    }

    /// <summary>Lets the channel expire on the local chain, then closes it and takes back what was not settled.</summary>
    public async Task CloseExpiredChannelAsync(Bytes32 channelId, CancellationToken cancellationToken)
    {
        await _anvil.IncreaseTimeAsync(TimeSpan.FromHours(3), cancellationToken);
        var remaining = (await _channels.GetChannelAsync(channelId, cancellationToken)).Remaining;
        await _channels.CloseExpiredAsync(channelId, cancellationToken);
        _script.Step("Channel expired; creator closed it", $"refunded {Ether.Format(remaining)} ETH; closed: {(await _channels.GetChannelAsync(channelId, cancellationToken)).Closed}");
    }

    /// <summary>Finds the nodes serving <paramref name="model"/> through the ledger, ranked as the client library ranks them.</summary>
    public async Task DiscoverOffersAsync(HttpClient ledger, Bytes32 model, CancellationToken cancellationToken)
    {
        // The demo's node listens on loopback: the local development scope says so explicitly.
        var best = (await new OfferSelector(ledger, EndpointScope.LocalDevelopment).RankAsync(model, cancellationToken)).Single();
        var (offer, record) = (best.Offer, best.Offer.TrackRecord);
        var reach = offer.Endpoint is null ? "no endpoint advertised" : best.Latency is { } latency ? $"answers in {latency.TotalMilliseconds:0} ms" : "unreachable";
        _script.Step("Creator discovered the model's offers", $"node {offer.Node} at {offer.Endpoint ?? "(none)"} ({reach}), price {Ether.Format(best.Price)} ETH; track record: {record.RecordsAnchored} records anchored, {record.RecordsRevoked} revoked, {record.Settlements} settlement(s) (GET {LedgerOffers.OffersPath})");
    }

    /// <inheritdoc />
    public void Dispose() => _node.Dispose();

    private static string Preview(string text) => text.Length <= 60 ? text : text[..60].ReplaceLineEndings(" ") + "…";

    private static long Records(NodeStatus status) => status.PendingRecords + status.DeliveredRecords + status.HeldRecords;

    // What a dishonest client could send: a voucher it signed itself, past the client library's bookkeeping.
    private async Task<string> RefusalAsync(PaymentVoucher voucher, CancellationToken cancellationToken)
    {
        var signature = PaymentVoucherTypedData.Sign(voucher, _channels.Domain, _creator.Key).ToString();
        var request = new GenerateImageRequest("a lighthouse at dusk, once more",
            Payment: new VoucherPayment(voucher.ChannelId, voucher.CumulativeAmount, voucher.Nonce, signature));
        using var response = await _node.PostAsJsonAsync(EdgeRoutes.GenerateImage, request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The node accepted a bad voucher (nonce {voucher.Nonce}, amount {voucher.CumulativeAmount}).");
        }

        var problem = await response.Content.ReadFromJsonAsync<NodeProblem>(cancellationToken);
        return $"{problem?.Type ?? "no problem type"} ({(int)response.StatusCode})";
    }

    private async Task SaveAsync(string name, byte[] content, SignedProvenanceRecord record, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(Path.Combine(_outputDirectory, name), content, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_outputDirectory, name + ".record.json"), JsonSerializer.Serialize(record, RecordJson), cancellationToken);
    }
}
