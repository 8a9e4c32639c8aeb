using System.Collections.Concurrent;
using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.JsonRpc.Client;
using ChannelsAbi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;
using RegistryAbi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;

namespace MobileAigc.Provenance.EdgeNode.Payments;

/// <summary>
/// The chain could not be read (node down, timeout, RPC error); nothing was charged. The message is
/// fixed, fit for an answer; what the chain said is in <see cref="Exception.InnerException"/>, for the log only.
/// </summary>
public sealed class ChainUnavailableException(Exception innerException) : Exception(FixedMessage, innerException)
{
    /// <summary>The message of every such exception: no RPC error text, which may name internal hosts or configuration.</summary>
    public const string FixedMessage = "The node cannot read the chain right now.";
}

/// <summary>
/// Reads channels from <c>PaymentChannels</c> and prices from <c>ModelRegistry</c> for acceptance,
/// keeping each answer for a short, configured time (<see cref="PaymentOptions.ChannelCacheDuration"/>,
/// <see cref="PaymentOptions.PriceCacheDuration"/>) so that a busy node does not read the chain
/// twice per request. Thread-safe.
/// </summary>
public sealed class PaymentChainReader(PaymentChannelsClient channels, ModelRegistryClient registry, PaymentOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Bytes32, (ChannelFacts? Channel, DateTimeOffset ReadAt)> _channels = new();
    private readonly ConcurrentDictionary<Bytes32, (BigInteger Price, DateTimeOffset ReadAt)> _prices = new();
    private readonly ConcurrentDictionary<Bytes32, (EvmAddress Owner, DateTimeOffset ReadAt)> _owners = new();

    /// <summary>The channels client (sends from the node key).</summary>
    public PaymentChannelsClient Channels => channels;

    /// <summary>
    /// The channel, or null when no channel has this id; <paramref name="fresh"/> skips the cache.
    /// An unknown channel is not cached: it may be opened any moment.
    /// </summary>
    /// <exception cref="ChainUnavailableException">When the chain cannot be read.</exception>
    public async Task<ChannelFacts?> GetChannelAsync(Bytes32 channelId, bool fresh = false)
    {
        var now = time.GetUtcNow();
        if (!fresh && _channels.TryGetValue(channelId, out var cached) && now - cached.ReadAt < options.ChannelCacheDuration)
        {
            return cached.Channel;
        }

        var channel = await ReadAsync(async () =>
        {
            try
            {
                var c = await channels.GetChannelAsync(channelId);
                return new ChannelFacts(
                    c.ChannelId, c.Creator, c.Provider, c.Node, c.Token, c.ModelHash, c.Deposit, c.Paid, c.ExpiresAt, c.LastNonce, c.Closed, c.PricePerGeneration);
            }
            catch (ContractRevertException e) when (e.Error is ChannelsAbi.ChannelNotFoundError)
            {
                return null;
            }
        });
        if (channel is not null)
        {
            _channels[channelId] = (channel, now);
        }

        return channel;
    }

    /// <summary>
    /// The model's current price per generation, or null when the model is not registered. An unregistered model is not
    /// cached: its owner may register it any moment, and it must be payable from the next request on.
    /// </summary>
    /// <exception cref="ChainUnavailableException">When the chain cannot be read.</exception>
    public async Task<BigInteger?> GetPriceAsync(Bytes32 modelHash)
    {
        var now = time.GetUtcNow();
        if (_prices.TryGetValue(modelHash, out var cached) && now - cached.ReadAt < options.PriceCacheDuration)
        {
            return cached.Price;
        }

        var price = await ReadAsync<BigInteger?>(async () =>
        {
            try
            {
                return await registry.GetPriceAsync(modelHash);
            }
            catch (ContractRevertException e) when (e.Error is RegistryAbi.ModelNotRegisteredError)
            {
                return null;
            }
        });
        if (price is not null)
        {
            _prices[modelHash] = (price.Value, now);
        }

        return price;
    }

    /// <summary>
    /// The model's owner in <c>ModelRegistry</c>, or null when the model is not registered; kept as long as a price, and
    /// like a price not kept while the model is unregistered.
    /// </summary>
    /// <exception cref="ChainUnavailableException">When the chain cannot be read.</exception>
    public async Task<EvmAddress?> GetModelOwnerAsync(Bytes32 modelHash)
    {
        var now = time.GetUtcNow();
        if (_owners.TryGetValue(modelHash, out var cached) && now - cached.ReadAt < options.PriceCacheDuration)
        {
            return cached.Owner;
        }

        var owner = await ReadAsync<EvmAddress?>(async () =>
        {
            try
            {
                return (await registry.GetModelAsync(modelHash)).Owner;
            }
            catch (ContractRevertException e) when (e.Error is RegistryAbi.ModelNotRegisteredError)
            {
                return null;
            }
        });
        if (owner is not null)
        {
            _owners[modelHash] = (owner.Value, now);
        }

        return owner;
    }

    private static async Task<T> ReadAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is RpcClientUnknownException or RpcClientTimeoutException or RpcResponseException or HttpRequestException
                                      or TaskCanceledException or ContractRevertException)
        {
            throw new ChainUnavailableException(e);
        }
    }
}
