using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Client;

/// <summary>Where a creator stands on one channel at one node: the latest voucher the node accepted.</summary>
/// <param name="Nonce">Its nonce; 0 before the first.</param>
/// <param name="CumulativeAmount">Its amount; 0 before the first.</param>
public readonly record struct ChannelPosition(ulong Nonce, BigInteger CumulativeAmount);

/// <summary>
/// A creator's client for one edge node. <see cref="GenerateImageAsync(string, Bytes32?, CancellationToken)"/>
/// and <see cref="GenerateTextAsync(string, Bytes32?, CancellationToken)"/> are one call each: for a model
/// with a price, the client signs the next cumulative voucher on the channel (the latest accepted
/// amount plus the model's price as the node lists it in <c>GET v1/models</c>, the nonce plus one) with
/// the creator's key in the node's <c>PaymentChannels</c> domain (<c>GET v1/payments</c>), sends it with
/// the request and records what the node accepted. A free model is requested without a voucher.
/// A request naming this client's creator publicly is signed (<see cref="CreatorRequests"/>) when it is
/// free: a paid one is proven by its voucher.
/// </summary>
/// <remarks>
/// The per-channel position lives in memory; a client that starts without it (a new process, another
/// device) starts from nothing, and the node's refusal of that voucher as stale or underpaid tells it
/// where the channel stands (<see cref="ChannelPositionMembers"/>: the node says so only to the holder
/// of the creator's key, whose signature it has just checked; the channel read itself is the provider's).
/// Requests on one channel are sent one at a time (vouchers must arrive in nonce order); requests on
/// different channels run concurrently. When the node answers that the nonce is stale or the amount too
/// low (another client of the same creator paid meanwhile, or the price changed), the client takes the
/// position from the answer, re-reads the price and retries once. Thread-safe.
/// </remarks>
public sealed class EdgeNodeClient
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan ModelListLifetime = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly EthECKey _creatorKey;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<Bytes32, ChannelPosition> _positions = new();

    // What the node charged per generation on each channel: the channel's own price (fixed when it opened,
    // in its token), which the model's listed price need not equal.
    private readonly ConcurrentDictionary<Bytes32, BigInteger> _channelPrices = new();
    private readonly ConcurrentDictionary<Bytes32, SemaphoreSlim> _channelLocks = new();
    private (IReadOnlyList<ServedModelInfo> Models, DateTimeOffset ReadAt)? _models;
    private PaymentTerms? _terms;
    private NodeStatus? _node;

    /// <summary>A client of the node at <paramref name="http"/>'s base address, paying with <paramref name="creatorKey"/>.</summary>
    /// <param name="http">An HttpClient whose <c>BaseAddress</c> is the node (e.g. <c>http://node:8080/</c>).</param>
    /// <param name="creatorKey">The key of the channels' creator: it signs the vouchers and never leaves this process.</param>
    /// <param name="time">The clock for the model-list cache; default <see cref="TimeProvider.System"/>.</param>
    public EdgeNodeClient(HttpClient http, EthECKey creatorKey, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(creatorKey);
        _http = http;
        _creatorKey = creatorKey;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Generates an image with the node's first image model, paying on <paramref name="channelId"/> when the model has a price.</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (its problem type says why).</exception>
    public Task<GenerateImageResponse> GenerateImageAsync(string prompt, Bytes32? channelId = null, CancellationToken cancellationToken = default) =>
        GenerateImageAsync(new GenerateImageRequest(prompt), channelId, cancellationToken);

    /// <summary>Generates an image as <paramref name="request"/> asks (its <c>Payment</c> is set by the client), paying on <paramref name="channelId"/>.</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (its problem type says why).</exception>
    public Task<GenerateImageResponse> GenerateImageAsync(GenerateImageRequest request, Bytes32? channelId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GenerateAsync<GenerateImageResponse>(EdgeRoutes.GenerateImage, "image", request.Model, channelId, request.Creator, request.Prompt,
            (payment, creator) => request with { Payment = payment, Creator = creator }, r => r.Payment, cancellationToken);
    }

    /// <summary>Generates a text with the node's first text model, paying on <paramref name="channelId"/> when the model has a price.</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (its problem type says why).</exception>
    public Task<GenerateTextResponse> GenerateTextAsync(string prompt, Bytes32? channelId = null, CancellationToken cancellationToken = default) =>
        GenerateTextAsync(new GenerateTextRequest(prompt), channelId, cancellationToken);

    /// <summary>Generates a text as <paramref name="request"/> asks (its <c>Payment</c> is set by the client), paying on <paramref name="channelId"/>.</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (its problem type says why).</exception>
    public Task<GenerateTextResponse> GenerateTextAsync(GenerateTextRequest request, Bytes32? channelId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return GenerateAsync<GenerateTextResponse>(EdgeRoutes.GenerateText, "text", request.Model, channelId, request.Creator, request.Prompt,
            (payment, creator) => request with { Payment = payment, Creator = creator }, r => r.Payment, cancellationToken);
    }

    /// <summary>
    /// Starts a fine-tune of the served model <paramref name="model"/> (its name or 0x hash) on the creator's examples (texts for
    /// a text model, <see cref="FineTuneRequest.Pictures"/> for an image model), paying
    /// the node's fee on <paramref name="channelId"/> (a channel for that base model) when the model has a price: the client
    /// signs the next voucher as for a generation and, told the fee (the node answers the least amount it takes), signs again
    /// for it once. Free with payments off; a request naming this client's creator is then signed with the derivative's name
    /// as its prompt, which makes the creator the owner.
    /// </summary>
    /// <returns>The job id (keep it: it is the only way to read or cancel the job) and the job as queued.</returns>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (its problem type says why).</exception>
    public Task<FineTuneAccepted> StartFineTuneAsync(string model, FineTuneRequest request, Bytes32? channelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(request);
        return GenerateAsync<FineTuneAccepted>(EdgeRoutes.FineTune(model), null, model, channelId, request.Creator, request.Name ?? "",
            (payment, creator) => request with { Payment = payment, Creator = creator }, r => r.Job.Payment, cancellationToken, oneGeneration: false);
    }

    /// <summary>Where a fine-tune job stands (<c>GET v1/fine-tunes/{jobId}</c>).</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (an unknown job is 404).</exception>
    public Task<FineTuneJob> GetFineTuneAsync(string jobId, CancellationToken cancellationToken = default) =>
        GetAsync<FineTuneJob>(EdgeRoutes.FineTuneJob(jobId), cancellationToken);

    /// <summary>
    /// Cancels a queued or running fine-tune job (<c>POST v1/fine-tunes/{jobId}/cancel</c>); the node gives the fee back. The
    /// client forgets where the job's channel stands: the node may have released the fee's voucher, so the next paid call
    /// learns the position from the node.
    /// </summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses (an unknown job is 404, a finished one 409).</exception>
    public async Task<FineTuneJob> CancelFineTuneAsync(string jobId, CancellationToken cancellationToken = default)
    {
        using var content = JsonContent.Create(new { }, options: Json);
        using var response = await _http.PostAsync(EdgeRoutes.CancelFineTune(jobId), content, cancellationToken);
        var job = await ReadAsync<FineTuneJob>(response, cancellationToken);
        if (job.Payment is { } fee)
        {
            _positions.TryRemove(fee.ChannelId, out _);
        }

        return job;
    }

    /// <summary>The models the node serves with their current prices (<c>GET v1/models</c>).</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses.</exception>
    public async Task<IReadOnlyList<ServedModelInfo>> GetModelsAsync(CancellationToken cancellationToken = default)
    {
        var models = await GetAsync<List<ServedModelInfo>>(EdgeRoutes.Models, cancellationToken);
        _models = (models, _time.GetUtcNow());
        return models;
    }

    /// <summary>How to pay the node (<c>GET v1/payments</c>).</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses.</exception>
    public async Task<PaymentTerms> GetPaymentTermsAsync(CancellationToken cancellationToken = default) =>
        _terms ??= await GetAsync<PaymentTerms>(EdgeRoutes.Payments, cancellationToken);

    /// <summary>What this client knows of a channel: the latest voucher the node accepted from it; null when unknown (the next paid call reads it from the node).</summary>
    public ChannelPosition? Position(Bytes32 channelId) => _positions.TryGetValue(channelId, out var position) ? position : null;

    private async Task<TResponse> GenerateAsync<TResponse>(
        string route, string? kind, string? model, Bytes32? channelId, CreatorIdentity? creator, string prompt,
        Func<VoucherPayment?, CreatorIdentity?, object> request, Func<TResponse, AcceptedPayment?> accepted, CancellationToken cancellationToken,
        bool oneGeneration = true)
    {
        var served = await ModelAsync(kind, model, refresh: false, cancellationToken);
        var price = PriceOf(served);
        if (price.IsZero || channelId is not { } channel)
        {
            var signed = await SignCreatorAsync(creator, served.ModelHash, prompt, cancellationToken);
            return await PostAsync<TResponse>(route, request(null, signed), cancellationToken);
        }

        Func<VoucherPayment?, object> body = payment => request(payment, creator);

        var gate = _channelLocks.GetOrAdd(channel, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            BigInteger? required = null;
            for (var attempt = 0; ; attempt++)
            {
                var position = PositionOf(channel);
                var amount = required ?? position.CumulativeAmount + (_channelPrices.TryGetValue(channel, out var charged) ? charged : price);
                var payment = await SignAsync(new PaymentVoucher(channel, amount, position.Nonce + 1), cancellationToken);
                try
                {
                    var response = await PostAsync<TResponse>(route, body(payment), cancellationToken);
                    var paid = accepted(response);
                    _positions[channel] = paid is null
                        ? position
                        : new ChannelPosition(paid.Nonce, paid.CumulativeAmount);
                    // A fine-tune's fee is many generations' price: the channel's own price is learnt from generations only.
                    if (paid is not null && oneGeneration)
                    {
                        _channelPrices[channel] = paid.Price;
                    }

                    return response;
                }
                catch (EdgeNodeProblemException e) when (attempt == 0
                    && e.Problem.Type is PaymentProblemTypes.VoucherNonceStale or PaymentProblemTypes.VoucherUnderpaid)
                {
                    // Someone else paid on the channel, or the price differs: take the node's position, read the price
                    // again and retry once, at the least amount the node names when it says underpaid (the channel's
                    // price in its token).
                    if (AcceptedPosition(e.Problem) is { } nodePosition)
                    {
                        _positions[channel] = nodePosition;
                    }
                    else
                    {
                        _positions.TryRemove(channel, out _);
                    }

                    _channelPrices.TryRemove(channel, out _);
                    required = e.Problem.Type == PaymentProblemTypes.VoucherUnderpaid ? RequiredAmount(e.Problem) : null;
                    price = PriceOf(await ModelAsync(kind, model, refresh: true, cancellationToken));
                }
                catch
                {
                    // The node may or may not have accepted the voucher: its own record is the truth.
                    _positions.TryRemove(channel, out _);
                    throw;
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    // A free request names this creator only with their signature; another address or a private creator is sent as given.
    private async Task<CreatorIdentity?> SignCreatorAsync(CreatorIdentity? creator, Bytes32 modelHash, string prompt, CancellationToken cancellationToken)
    {
        if (creator is not { Private: false, Signature: null, Address: { } address } || address != EvmAddress.Parse(_creatorKey.GetPublicAddress()))
        {
            return creator;
        }

        var node = _node ??= await GetAsync<NodeStatus>(EdgeRoutes.Node, cancellationToken);
        if (node.RecordChainId is not { } chainId || node.ProvenanceLedger is not { } ledger)
        {
            throw new InvalidOperationException($"The node does not say which ledger it signs records for (GET {EdgeRoutes.Node}).");
        }

        return CreatorRequests.Sign(_creatorKey, node.Node, modelHash, prompt, ContractDomain.ForProvenanceLedger(chainId, ledger));
    }

    // Unknown: start from nothing; a node that accepted vouchers on the channel answers with its position.
    private ChannelPosition PositionOf(Bytes32 channelId) => _positions.GetValueOrDefault(channelId);

    private static ChannelPosition? AcceptedPosition(NodeProblem problem) =>
        problem.Extensions is { } members
        && members.TryGetValue(ChannelPositionMembers.AcceptedNonce, out var nonce) && nonce.ValueKind == JsonValueKind.String
        && ulong.TryParse(nonce.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var acceptedNonce)
        && members.TryGetValue(ChannelPositionMembers.AcceptedAmount, out var amount) && amount.ValueKind == JsonValueKind.String
        && BigInteger.TryParse(amount.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var acceptedAmount)
            ? new ChannelPosition(acceptedNonce, acceptedAmount)
            : null;

    private async Task<VoucherPayment> SignAsync(PaymentVoucher voucher, CancellationToken cancellationToken)
    {
        var terms = await GetPaymentTermsAsync(cancellationToken);
        if (!terms.Enabled || terms.ChainId is not { } chainId || terms.PaymentChannels is not { } contract)
        {
            throw new InvalidOperationException("The node lists a price but takes no payments (GET v1/payments says payments are off).");
        }

        var signature = PaymentVoucherTypedData.Sign(voucher, ContractDomain.ForPaymentChannels(chainId, contract), _creatorKey);
        return new VoucherPayment(voucher.ChannelId, voucher.CumulativeAmount, voucher.Nonce, signature.ToString());
    }

    // A null kind: a model of any kind (fine-tuning names its model; the node says whether it can learn).
    private async Task<ServedModelInfo> ModelAsync(string? kind, string? model, bool refresh, CancellationToken cancellationToken)
    {
        var models = !refresh && _models is { } cached && _time.GetUtcNow() - cached.ReadAt < ModelListLifetime
            ? cached.Models
            : await GetModelsAsync(cancellationToken);
        return models.FirstOrDefault(m => (kind is null || m.Kind == kind)
                && (model is null
                    || string.Equals(m.Name, model, StringComparison.OrdinalIgnoreCase)
                    || (Bytes32.TryParse(model, out var hash) && hash == m.ModelHash)))
            ?? throw new EdgeNodeProblemException(HttpStatusCode.NotFound, new NodeProblem(
                GenerationProblemTypes.UnknownModel, "Unknown model", 404, $"The node lists no {kind ?? "such"} model '{model}'."));
    }

    private static BigInteger PriceOf(ServedModelInfo model) => model.PricePerGeneration ?? BigInteger.Zero;

    private static BigInteger? RequiredAmount(NodeProblem problem) =>
        problem.Extensions?.TryGetValue("requiredAmount", out var value) == true && value.ValueKind == JsonValueKind.String
        && BigInteger.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : null;

    private async Task<T> GetAsync<T>(string route, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(route, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T> PostAsync<T>(string route, object body, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(body, body.GetType(), options: Json);
        using var response = await _http.PostAsync(route, content, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            NodeProblem? problem = null;
            try
            {
                problem = await response.Content.ReadFromJsonAsync<NodeProblem>(Json, cancellationToken);
            }
            catch (JsonException)
            {
                // Not a problem document (a proxy's error page): report the status alone.
            }

            throw new EdgeNodeProblemException(response.StatusCode, problem ?? new NodeProblem(null, response.ReasonPhrase, (int)response.StatusCode,
                string.Create(CultureInfo.InvariantCulture, $"The node answered {(int)response.StatusCode} without a problem document.")));
        }

        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new JsonException($"The node answered {(int)response.StatusCode} with an empty body.");
    }
}
