using System.Net.Http.Json;
using System.Numerics;
using System.Text;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.DevChain;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.EdgeNode;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.Extensions.Logging.Abstractions;
using System.Globalization;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.ModelDescriptions.Manifests;
using MobileAigc.Provenance.Imaging;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo;

/// <summary>What the round trip generates.</summary>
/// <param name="Images">Images the edge node generates (each paid through the payment channel).</param>
/// <param name="Texts">Texts the edge node generates (the text model is registered free).</param>
/// <param name="ModelsDirectory">The models the node serves.</param>
/// <param name="OutputDirectory">Where the generated files and their records are written.</param>
internal sealed record RoundTripPlan(int Images, int Texts, string ModelsDirectory, string OutputDirectory);

/// <summary>
/// The round trip every part of the system takes part in, step by step, each step printed with
/// what the chain answered. Every actor has a fresh key funded on the local anvil; the edge node
/// runs in-process with its own encrypted keystore, watermark key and outbox.
/// </summary>
internal sealed class RoundTrip(AnvilNode anvil, IAnsiConsole console, TimeProvider time)
{
    private static readonly BigInteger Wei = BigInteger.Pow(10, 18);
    private static readonly BigInteger ImagePrice = Wei / 10_000; // 0.0001 ETH per image
    private const ushort RoyaltyBasisPoints = 1_000; // 10 %

    public async Task RunAsync(RoundTripPlan plan, CancellationToken cancellationToken)
    {
        console.Write(new Rule("[bold]MobileAigc.Provenance round trip[/]").LeftJustified());
        console.MarkupLineInterpolated($"anvil at [blue]{anvil.RpcUrl}[/], chain id {anvil.ChainId}; output in [blue]{plan.OutputDirectory}[/]");
        Directory.CreateDirectory(plan.OutputDirectory);

        var ledgerOperator = await NewActorAsync();
        var modelOwner = await NewActorAsync();
        var provider = await NewActorAsync();
        var creator = await NewActorAsync();

        var contracts = await ProvenanceContracts.DeployAsync(ledgerOperator.Web3);
        Step("Deployed the contracts", $"ModelRegistry {contracts.ModelRegistry}, ProvenanceLedger {contracts.ProvenanceLedger}, PaymentChannels {contracts.PaymentChannels}");

        var (nodeRuntime, nodeOptions) = await StartEdgeNodeAsync(plan, contracts, cancellationToken);
        using var node = nodeRuntime;
        Step("Edge node started", $"node key {node.Node} (encrypted keystore in {Path.Combine(plan.OutputDirectory, "node")}), models: {string.Join(", ", node.Catalog.Models.Select(m => $"{m.Name} ({m.Model.SizeBytes / 1024} KiB)"))}");

        var imageModel = node.Catalog.Find(ModelKind.Image, null);
        var textModel = node.Catalog.Find(ModelKind.Text, null);
        var registry = contracts.RegistryFor(modelOwner.Web3);
        await registry.RegisterModelAsync(imageModel.ModelHash, $"model://{imageModel.Name}", ImagePrice, RoyaltyBasisPoints);
        await registry.RegisterModelAsync(textModel.ModelHash, $"model://{textModel.Name}", 0, 0);
        Step("Model owner registered the node's models", $"{imageModel.Name} = {imageModel.ModelHash} at {Eth(ImagePrice)} ETH per image, royalty {RoyaltyBasisPoints / 100} %; {textModel.Name} = {textModel.ModelHash}, free");

        await contracts.RegistryFor(provider.Web3).RegisterNodeAsync(node.Node, [imageModel.ModelHash, textModel.ModelHash]);
        Step("Edge provider registered the node key", $"operator {provider.Address}; authorised for both models: {await registry.IsNodeAuthorizedAsync(node.Node, imageModel.ModelHash) && await registry.IsNodeAuthorizedAsync(node.Node, textModel.ModelHash)}");

        // The node key is the provider: it settles its own vouchers, so it needs gas.
        await anvil.SetBalanceAsync(node.Node, Wei);
        using var payments = NodePayments.Open(node, nodeOptions, new PaymentOptions
        {
            RpcUrl = anvil.RpcUrl,
            PaymentChannels = contracts.PaymentChannels.ToString(),
            ModelRegistry = contracts.ModelRegistry.ToString(),
            SettlementThreshold = ImagePrice.ToString(CultureInfo.InvariantCulture),
        }, time);
        Step("Edge node takes payments", $"provider {payments.Provider} (the node key settles for itself); vouchers stored in {nodeOptions.PaymentsPath} before content is returned");

        var channels = contracts.ChannelsFor(creator.Web3);
        var expiry = await anvil.LatestBlockTimeAsync() + TimeSpan.FromHours(2);
        var deposit = ImagePrice * (plan.Images + 2);
        var (channelId, _) = await channels.OpenChannelAsync(payments.Provider, imageModel.ModelHash, EvmAddress.Zero, deposit, expiry);
        Step("Creator opened a payment channel to the node for the image model", $"{channelId}, deposit {Eth(deposit)} ETH, expires {expiry:u}");

        var images = new List<GenerateImageResponse>();
        VoucherPayment? latestPayment = null;
        for (var i = 0; i < plan.Images; i++)
        {
            latestPayment = SignVoucher(new PaymentVoucher(channelId, ImagePrice * (i + 1), (ulong)i + 1), channels, creator);
            await PayAsync(payments, imageModel.ModelHash, latestPayment);
            var image = node.Generator.GenerateImage(new GenerateImageRequest(
                $"a lighthouse at dusk, study {i}", Seed: (ulong)i, Creator: new CreatorIdentity(creator.Address, Private: i % 2 == 1)));
            images.Add(image);
            await WriteAsync(plan, $"image-{i}.png", image.Png, image.Record, cancellationToken);
            Step($"Node generated image {i}", $"image-{i}.png, paid by voucher {latestPayment.Nonce} ({Eth(latestPayment.CumulativeAmount)} ETH so far, checked against the chain); record {image.RecordDigest} (sequence {image.Record.Record.Sequence}), watermark 0x{image.WatermarkPayload:x16}, perceptual hash quality {image.PerceptualHashQuality}{(i % 2 == 1 ? ", creator recorded as a private commitment" : "")}");
        }

        if (latestPayment is not null)
        {
            var replayed = await payments.Gate.DecideAsync(imageModel.ModelHash, latestPayment);
            var underpaid = await payments.Gate.DecideAsync(imageModel.ModelHash,
                SignVoucher(new PaymentVoucher(channelId, latestPayment.CumulativeAmount + ImagePrice / 2, latestPayment.Nonce + 1), channels, creator));
            Step("Node refused bad vouchers, generating nothing", $"replayed: {replayed.Refusal?.Type ?? "ACCEPTED"}; half the price: {underpaid.Refusal?.Type ?? "ACCEPTED"}");
            if (replayed.Refusal is null || underpaid.Refusal is null)
            {
                throw new InvalidOperationException("The node accepted a replayed or underpaid voucher.");
            }
        }

        var texts = new List<GenerateTextResponse>();
        for (var i = 0; i < plan.Texts; i++)
        {
            var text = node.Generator.GenerateText(new GenerateTextRequest("And it came to pass", Seed: (ulong)i, MaxNewTokens: 200, Creator: new CreatorIdentity(creator.Address)));
            texts.Add(text);
            await WriteAsync(plan, $"text-{i}.txt", Encoding.UTF8.GetBytes(text.Text), text.Record, cancellationToken);
            Step($"Node generated text {i}", $"text-{i}.txt, {text.Text.Length} characters; record {text.RecordDigest} (sequence {text.Record.Record.Sequence}); watermark z = {text.WatermarkZScore:0.0}");
        }

        await using var ledgerService = await DemoLedger.StartAsync(
            anvil, contracts, ledgerOperator.Key, Path.Combine(plan.OutputDirectory, "node", "watermark.key"), TextModelManifests(node),
            Path.Combine(plan.OutputDirectory, "ledger"), cancellationToken);
        using var http = new HttpClient { BaseAddress = ledgerService.BaseAddress };
        Step("Ledger service started", $"{ledgerService.BaseAddress} (SQLite in {Path.Combine(ledgerService.DataDirectory, "db")}, anchoring as {ledgerOperator.Address}; API reference at {ledgerService.BaseAddress}scalar/v1, verification page at {ledgerService.BaseAddress})");

        var digests = await DeliverOutboxAsync(node, ledgerService.BaseAddress, contracts.LedgerFor(ledgerOperator.Web3).Domain, cancellationToken);
        Step("Edge node delivered its outbox to the ledger", $"{digests.Count} signed records accepted by POST {LedgerIngest.RecordsPath} (signature checked against the registry the ledger mirrors from chain events)");

        var anchored = await WaitForAnchoringAsync(http, digests, cancellationToken);
        var batches = anchored.Select(r => r.Anchoring!).DistinctBy(a => a.BatchId).ToList();
        Step("Ledger anchored them in Merkle batches", string.Join("; ", batches.Select(b =>
            $"batch {b.ChainBatchId}, root {b.Root}, tx {b.TransactionHash} in block {b.BlockNumber}")));

        var ledger = contracts.LedgerFor(ledgerOperator.Web3);
        var included = 0;
        foreach (var record in anchored)
        {
            included += await ledger.VerifyInclusionAsync(record.Anchoring!.Root, record.RecordDigest, record.Anchoring.Proof) ? 1 : 0;
        }

        Step("Auditor checked every inclusion proof on chain", $"{included} of {anchored.Count} proofs from the ledger's API accepted by ProvenanceLedger.verifyInclusion");

        if (images.Count > 0)
        {
            await VerifyImagesAsync(plan, http, images[0], cancellationToken);
        }

        var report = await PostAdminAsync<ReconciliationReport>(http, ledgerService.AdminKey, LedgerAudit.ReconcilePath, cancellationToken);
        Step("Auditor reconciled the ledger with the chain", $"{report.Batches.Count} batches rebuilt from the database and compared with the chain's BatchAnchored events: {report.Ok} ok, {report.Differences} differences");

        var csv = await http.GetStringAsync($"{LedgerAudit.ExportPath}?format=csv", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(plan.OutputDirectory, "ledger-export.csv"), csv, cancellationToken);
        Step("Auditor exported the ledger", $"ledger-export.csv, {csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1} records (streamed by GET {LedgerAudit.ExportPath})");

        if (texts.Count > 0)
        {
            await VerifyTextAsync(plan, http, texts[0], cancellationToken);
        }

        if (latestPayment is not null)
        {
            await SettleAsync(contracts, payments, modelOwner, channels, channelId, cancellationToken);
            await AuditPaymentsAsync(http, ledgerService.AdminKey, payments.Provider, imageModel.ModelHash, cancellationToken);
        }

        console.Write(new Rule("[green]round trip complete[/]").LeftJustified());
    }

    private async Task VerifyImagesAsync(RoundTripPlan plan, HttpClient http, GenerateImageResponse original, CancellationToken cancellationToken)
    {
        var exact = await VerifyFileAsync(http, original.Png, "image-0.png", "image/png", cancellationToken);
        Step("Creator verified image-0.png on the ledger", Describe(exact));

        // An edited copy: scaled to 75 % and re-encoded as JPEG 75; its file hash matches nothing.
        var decoded = ImageCodec.Decode(original.Png);
        var edited = ImageCodec.Encode(ImageCodec.Resize(decoded, decoded.Width * 3 / 4, decoded.Height * 3 / 4), ImageFileFormat.Jpeg, 75);
        await File.WriteAllBytesAsync(Path.Combine(plan.OutputDirectory, "image-0-edited.jpg"), edited, cancellationToken);
        var traced = await VerifyFileAsync(http, edited, "image-0-edited.jpg", "image/jpeg", cancellationToken);
        Step("Creator verified an edited copy (75 % size, JPEG 75)", Describe(traced));
    }

    private async Task VerifyTextAsync(RoundTripPlan plan, HttpClient http, GenerateTextResponse original, CancellationToken cancellationToken)
    {
        // An edited copy: the first sentence dropped and a few words changed; its hash matches nothing.
        var edited = original.Text[(original.Text.Length / 5)..].Replace(" the ", " a ", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(plan.OutputDirectory, "text-0-edited.txt"), edited, cancellationToken);
        var traced = await VerifyFileAsync(http, Encoding.UTF8.GetBytes(edited), "text-0-edited.txt", "text/plain", cancellationToken);
        Step("Creator verified an edited copy of text-0.txt (opening cut, words changed)", Describe(traced)
            + (traced.Match?.TextWatermark is { } evidence ? $" (z = {evidence.ZScore:0.0} over {evidence.ScoredTokens} tokens) → node {traced.Node!.Address}" : ""));
    }

    // The manifests of the node's text models (beside each model file): the ledger reads their tokenizers to detect text watermarks.
    private static List<string> TextModelManifests(EdgeNodeRuntime node) =>
        [.. node.Catalog.Models
            .Where(m => m.Model.Manifest!.Kind == ModelKind.Text)
            .Select(m => Path.Combine(Path.GetDirectoryName(m.Model.FilePath)!, ModelManifest.FileName))];

    private static async Task<VerificationResult> VerifyFileAsync(HttpClient http, byte[] file, string name, string mediaType, CancellationToken cancellationToken)
    {
        using var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        content.Add(part, LedgerVerification.FileField, name);
        using var response = await http.PostAsync(LedgerVerification.VerifyPath, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<VerificationResult>(cancellationToken))!;
    }

    private static string Describe(VerificationResult result) =>
        $"[yellow]{result.Verdict switch { VerificationVerdict.Verified => "verified", VerificationVerdict.ModifiedButTraced => "modified-but-traced", _ => result.Verdict.ToString() }}[/]"
        + (result.Match is { } match ? $" by {match.Method}{(match.WatermarkConfidence is { } c ? $" (confidence {c:0.00})" : "")}{(match.HammingDistance is { } d ? $" (distance {d}/256)" : "")}" : "")
        + (result.Record is { } record ? $" → record {record.Digest}" : "")
        + (result.Anchoring is { } anchoring ? $", batch root re-checked on chain just now: {anchoring.RootCheckedOnChain}" : "");

    private async Task<IReadOnlyList<Bytes32>> DeliverOutboxAsync(EdgeNodeRuntime node, Uri ledger, Core.Eip712.ContractDomain domain, CancellationToken cancellationToken)
    {
        var expected = node.Outbox.TakeDue(int.MaxValue, DateTimeOffset.MaxValue).Select(e => ProvenanceRecordTypedData.Digest(e.SignedRecord.Record, domain)).ToList();
        using var http = new HttpClient();
        var dispatcher = new EdgeNode.Outbox.OutboxDispatcher(node.Outbox, http,
            Microsoft.Extensions.Options.Options.Create(new EdgeNode.Outbox.LedgerDeliveryOptions { BaseAddress = ledger, MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(500) }),
            time, Microsoft.Extensions.Logging.Abstractions.NullLogger<EdgeNode.Outbox.OutboxDispatcher>.Instance);
        // The ledger accepts a node's records once its registry indexer has seen the node's registration.
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (node.Outbox.Count().Pending > 0)
        {
            await dispatcher.DeliverDueAsync(cancellationToken);
            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"The ledger did not accept the node's records within 60 s ({node.Outbox.Count().Pending} pending).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        }

        if (node.Outbox.Held() is { Count: > 0 } held)
        {
            throw new InvalidOperationException(
                $"The ledger refused {held.Count} of the node's records for good: " + string.Join("; ", held.Select(h => $"#{h.Sequence} {h.Problem}")));
        }

        return expected;
    }

    private async Task<IReadOnlyList<LedgerRecord>> WaitForAnchoringAsync(HttpClient http, IReadOnlyList<Bytes32> digests, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + TimeSpan.FromSeconds(60);
        while (true)
        {
            var records = new List<LedgerRecord>();
            foreach (var digest in digests)
            {
                records.Add((await http.GetFromJsonAsync<LedgerRecord>($"{LedgerIngest.RecordsPath}/{digest}", cancellationToken))!);
            }

            if (records.All(r => r.Anchoring is { State: "Anchored" }))
            {
                return records;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException("The ledger did not anchor the records within 60 s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static async Task<T> PostAdminAsync<T>(HttpClient http, string adminKey, string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
    }

    private async Task SettleAsync(
        ProvenanceContracts contracts, NodePayments payments, Actor modelOwner, PaymentChannelsClient channels, Bytes32 channelId,
        CancellationToken cancellationToken)
    {
        var worker = new SettlementWorker(payments.Settlements, payments.Chain!, payments.Web3!, payments.Options, time, NullLogger<SettlementWorker>.Instance);
        var settled = await worker.SettleDueAsync(cancellationToken);
        var settlement = payments.Settlements.All()[^1];
        var earnings = payments.Vouchers.Earnings(payments.Provider).Models.Single();
        var royaltyCredit = await channels.BalanceOfAsync(EvmAddress.Zero, modelOwner.Address);
        Step("Node's settlement worker settled the channel", $"{settled} channel(s) in transaction {settlement.TransactionHash}; earnings: accepted {Eth(earnings.Accepted)}, settled {Eth(earnings.Settled)}, pending {Eth(earnings.Pending)} ETH; model owner's royalty credit {Eth(royaltyCredit)} ETH");

        var provider = new PaymentChannelsClient(payments.Web3!, contracts.PaymentChannels, contracts.ChainId);
        var latest = payments.Vouchers.Find(channelId)!;
        try
        {
            var voucher = new PaymentVoucher(channelId, latest.CumulativeAmount, latest.Nonce);
            await provider.SettleAsync([new SignedPaymentVoucher(voucher, EcdsaSignature.Parse(latest.Signature))]);
            throw new InvalidOperationException("PaymentChannels accepted a voucher twice.");
        }
        catch (ContractRevertException replay)
        {
            Step("Provider replayed the same voucher on chain", $"refused: {Markup.Escape(replay.Message)}");
        }

        await provider.WithdrawAsync(EvmAddress.Zero);
        await contracts.ChannelsFor(modelOwner.Web3).WithdrawAsync(EvmAddress.Zero);
        Step("Provider and model owner withdrew", $"credits left: provider {Eth(await channels.BalanceOfAsync(EvmAddress.Zero, payments.Provider))}, model owner {Eth(await channels.BalanceOfAsync(EvmAddress.Zero, modelOwner.Address))}");

        await anvil.IncreaseTimeAsync(TimeSpan.FromHours(3));
        var remaining = (await channels.GetChannelAsync(channelId)).Remaining;
        await channels.CloseExpiredAsync(channelId);
        Step("Channel expired; creator closed it", $"refunded {Eth(remaining)} ETH; closed: {(await channels.GetChannelAsync(channelId)).Closed}");
    }

    private async Task AuditPaymentsAsync(HttpClient http, string adminKey, EvmAddress provider, Bytes32 model, CancellationToken cancellationToken)
    {
        SettlementTotals? totals = null;
        for (var attempt = 0; attempt < 150 && totals is null; attempt++)
        {
            var all = await http.GetFromJsonAsync<IReadOnlyList<SettlementTotals>>($"{LedgerSettlements.TotalsPath}?provider={provider}", cancellationToken);
            totals = all?.SingleOrDefault();
            if (totals is null)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
        }

        if (totals is null)
        {
            throw new TimeoutException("The ledger did not index the settlement within 30 seconds.");
        }

        Step("Auditor listed the provider's settlements on the ledger", $"{totals.Settlements} settled voucher(s): paid {Eth(BigInteger.Parse(totals.Paid, CultureInfo.InvariantCulture))} ETH, royalties {Eth(BigInteger.Parse(totals.Royalties, CultureInfo.InvariantCulture))} (GET {LedgerSettlements.TotalsPath})");
        var check = await PostAdminAsync<SettlementCheck>(http, adminKey, LedgerSettlements.CheckPath, cancellationToken);
        Step("Auditor checked the settlements against the chain", $"{check.ChannelsChecked} channel(s), {check.Settlements} settlement(s) compared with PaymentChannels at block {check.IndexedThroughBlock}: {check.Discrepancies.Count} differences");
        if (check.Discrepancies.Count > 0)
        {
            throw new InvalidOperationException("The ledger's settlements differ from the chain.");
        }

        var offer = (await http.GetFromJsonAsync<IReadOnlyList<ModelOffer>>($"{LedgerOffers.OffersPath}?model={model}", cancellationToken))!.Single();
        Step("Creator discovered the model's offers", $"node {offer.Node} ({offer.Endpoint ?? "no endpoint advertised: the demo's node runs in this process"}), price {Eth(BigInteger.Parse(offer.PricePerGeneration, CultureInfo.InvariantCulture))} ETH; track record: {offer.TrackRecord.RecordsAnchored} records anchored, {offer.TrackRecord.RecordsRevoked} revoked, {offer.TrackRecord.Settlements} settlement(s) (GET {LedgerOffers.OffersPath})");
    }

    private static VoucherPayment SignVoucher(PaymentVoucher voucher, PaymentChannelsClient channels, Actor creator) =>
        new(voucher.ChannelId, voucher.CumulativeAmount, voucher.Nonce, PaymentVoucherTypedData.Sign(voucher, channels.Domain, creator.Key).ToString());

    // What the node's HTTP host does before generating: the voucher is checked and stored, or the request is refused.
    private static async Task PayAsync(NodePayments payments, Bytes32 model, VoucherPayment payment)
    {
        var decision = await payments.Gate.DecideAsync(model, payment);
        if (decision.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"The node refused the creator's voucher ({refusal.Type}): {refusal.Detail}");
        }
    }

    private async Task<(EdgeNodeRuntime Runtime, EdgeNodeOptions Options)> StartEdgeNodeAsync(RoundTripPlan plan, ProvenanceContracts contracts, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(plan.OutputDirectory, "node");
        Directory.CreateDirectory(dataDirectory);
        var passphraseFile = Path.Combine(dataDirectory, "passphrase");
        if (!File.Exists(passphraseFile))
        {
            await File.WriteAllTextAsync(passphraseFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)), cancellationToken);
        }

        var options = new EdgeNodeOptions
        {
            DataDirectory = dataDirectory,
            ModelsDirectory = plan.ModelsDirectory,
            PassphraseFile = passphraseFile,
            ChainId = (long)contracts.ChainId,
            ProvenanceLedger = contracts.ProvenanceLedger.ToString(),
        };
        return (await EdgeNodeRuntime.OpenAsync(options, time, cancellationToken), options);
    }

    private static async Task WriteAsync(RoundTripPlan plan, string name, byte[] content, SignedProvenanceRecord record, CancellationToken cancellationToken)
    {
        await File.WriteAllBytesAsync(Path.Combine(plan.OutputDirectory, name), content, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(plan.OutputDirectory, name + ".record.json"),
            System.Text.Json.JsonSerializer.Serialize(record, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }),
            cancellationToken);
    }

    private void Step(string title, string detail) => console.MarkupLine($"[green]✓[/] [bold]{Markup.Escape(title)}[/]: {detail}");

    private async Task<Actor> NewActorAsync()
    {
        var key = EthECKey.GenerateKey();
        var account = new Account(key, (BigInteger)anvil.ChainId);
        await anvil.SetBalanceAsync(EvmAddress.Parse(account.Address), 100 * Wei);
        return new Actor(key, EvmAddress.Parse(account.Address), anvil.Web3For(account));
    }

    private static string Eth(BigInteger wei) => ((decimal)wei / (decimal)Wei).ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Actor(EthECKey Key, EvmAddress Address, IWeb3 Web3);
}
