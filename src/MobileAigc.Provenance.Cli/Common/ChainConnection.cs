using System.Numerics;
using Nethereum.JsonRpc.Client;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>A chain node's JSON-RPC URL, checked, and the chain id it reports, with clear errors for a bad or silent node.</summary>
/// <param name="Rpc">The node's URL.</param>
/// <param name="ChainId">The chain id it reported.</param>
internal sealed record ChainConnection(Uri Rpc, BigInteger ChainId)
{
    /// <summary>Asks the node at <paramref name="rpcText"/> for its chain id.</summary>
    /// <exception cref="ArgumentException">When the URL is not http(s).</exception>
    /// <exception cref="InvalidOperationException">When the node does not answer.</exception>
    public static async Task<ChainConnection> OpenAsync(string rpcText)
    {
        if (!Uri.TryCreate(rpcText, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--rpc must be an http(s) URL; got '{rpcText}'.");
        }

        try
        {
            return new ChainConnection(rpc, (await new Web3(rpc.ToString()).Eth.ChainId.SendRequestAsync()).Value);
        }
        catch (Exception e) when (e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or RpcResponseException)
        {
            throw new InvalidOperationException($"The chain node at {rpc} does not answer ({e.Message}).", e);
        }
    }
}
