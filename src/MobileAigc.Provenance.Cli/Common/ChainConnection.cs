using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

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

    /// <summary>A Web3 on this node that signs as <paramref name="key"/>'s account for this chain, sending EIP-1559 transactions.</summary>
    public IWeb3 SignerFor(EthECKey key)
    {
        var web3 = new Web3(new Account(key, ChainId), Rpc.ToString());
        web3.TransactionManager.UseLegacyAsDefault = false;
        return web3;
    }

    /// <summary>
    /// Checks that <paramref name="deployment"/> (read from <paramref name="path"/>) is for this chain and that each of its
    /// contracts has code here: a transaction to an address without code succeeds and does nothing, so a deployment file
    /// of a chain that was reset (a restarted anvil keeps its chain id) must be refused before anything is sent.
    /// </summary>
    /// <exception cref="ArgumentException">When the chain id differs or a contract has no code.</exception>
    /// <exception cref="InvalidOperationException">When the node does not answer.</exception>
    public async Task CheckDeploymentAsync(DeploymentFile deployment, string path)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (ChainId != deployment.Contracts.ChainId)
        {
            throw new ArgumentException($"The deployment file '{path}' is for chain {deployment.Contracts.ChainId}, but the node at {Rpc} is on chain {ChainId}.");
        }

        var web3 = new Web3(Rpc.ToString());
        var contracts = deployment.Contracts;
        foreach (var (name, address) in new[] { ("ModelRegistry", contracts.ModelRegistry), ("ProvenanceLedger", contracts.ProvenanceLedger), ("PaymentChannels", contracts.PaymentChannels) })
        {
            string code;
            try
            {
                code = await web3.Eth.GetCode.SendRequestAsync(address.ToString());
            }
            catch (Exception e) when (e is HttpRequestException or RpcClientUnknownException or RpcClientTimeoutException or RpcResponseException)
            {
                throw new InvalidOperationException($"The chain node at {Rpc} does not answer ({e.Message}).", e);
            }

            if (string.IsNullOrEmpty(code) || code == "0x")
            {
                throw new ArgumentException($"The deployment file '{path}' names {name} at {address}, but there is no contract there on chain {ChainId} at {Rpc} (a chain reset since the deployment?).");
            }
        }
    }
}
