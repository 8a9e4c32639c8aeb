using System.Numerics;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.KeyStore;
using Nethereum.Signer;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;

namespace MobileAigc.Provenance.Ledger.Chain;

/// <summary>
/// The ledger's connection to the chain: a Web3 (signing as the anchorer when this replica has
/// the key), typed clients of the registry and the ledger contract, and the EIP-712 domain
/// records are signed in.
/// </summary>
public sealed class LedgerChain
{
    private readonly Dictionary<EvmAddress, LedgerDeployment> _byAddress;

    private LedgerChain(IWeb3 web3, BigInteger chainId, EvmAddress registry, EvmAddress ledger, EvmAddress? anchorer, LedgerChainOptions options)
    {
        Web3 = web3;
        ChainId = chainId;
        Registry = new ModelRegistryClient(web3, registry);
        Ledger = new ProvenanceLedgerClient(web3, ledger, chainId);
        Channels = options.PaymentChannels is { } channels ? new PaymentChannelsClient(web3, EvmAddress.Parse(channels), chainId) : null;
        Anchorer = anchorer;
        Options = options;
        TrustedAnchorers = options.TrustedAnchorers.Select(ParseTrustedAnchorer).Concat(anchorer is { } own ? [own] : []).ToHashSet();
        Current = new LedgerDeployment(Ledger, Channels, options.ChainId, options.DeploymentBlock, TrustedAnchorers, isCurrent: true);
        Previous = PreviousDeployments.Resolve(options).Select(p => new LedgerDeployment(
            new ProvenanceLedgerClient(web3, p.ProvenanceLedger, chainId),
            p.PaymentChannels is { } previousChannels ? new PaymentChannelsClient(web3, previousChannels, chainId) : null,
            p.ChainId, p.DeploymentBlock, p.Anchorers ?? TrustedAnchorers, isCurrent: false)).ToList();
        _byAddress = new[] { Current }.Concat(Previous).ToDictionary(d => d.Address);
    }

    /// <summary>The Web3 the clients use.</summary>
    public IWeb3 Web3 { get; }

    /// <summary>The chain's id, as configured.</summary>
    public BigInteger ChainId { get; }

    /// <summary>The model registry.</summary>
    public ModelRegistryClient Registry { get; }

    /// <summary>The provenance ledger contract.</summary>
    public ProvenanceLedgerClient Ledger { get; }

    /// <summary>The payment channels contract, or null when none is configured.</summary>
    public PaymentChannelsClient? Channels { get; }

    /// <summary>The anchoring account, or null when this replica has no anchoring key.</summary>
    public EvmAddress? Anchorer { get; }

    /// <summary>
    /// The anchorers whose roots are this ledger's: its own and <see cref="LedgerChainOptions.TrustedAnchorers"/>.
    /// Verification accepts a root on chain only from one of them.
    /// </summary>
    public IReadOnlySet<EvmAddress> TrustedAnchorers { get; }

    /// <summary>The current deployment: new records are accepted for its domain and anchored on its <see cref="Ledger"/>.</summary>
    public LedgerDeployment Current { get; }

    /// <summary>
    /// The deployments used before the current one (<see cref="LedgerChainOptions.PreviousDeployments"/>): their records
    /// stay verifiable in their own domain and on their own contract; nothing new goes to them.
    /// </summary>
    public IReadOnlyList<LedgerDeployment> Previous { get; }

    /// <summary>The current deployment, then the previous ones.</summary>
    public IEnumerable<LedgerDeployment> Deployments => Previous.Prepend(Current);

    /// <summary>The deployment whose <c>ProvenanceLedger</c> is <paramref name="ledger"/>; null when the ledger does not list it.</summary>
    public LedgerDeployment? DeploymentAt(EvmAddress ledger) => _byAddress.GetValueOrDefault(ledger);

    /// <summary>The options it was made from.</summary>
    public LedgerChainOptions Options { get; }

    /// <summary>The domain records are signed in.</summary>
    public ContractDomain Domain => Ledger.Domain;

    /// <summary>The EIP-712 domain of the <c>ModelRegistry</c>: node consents and C2PA certificate bindings are signed in it.</summary>
    public ContractDomain RegistryDomain => ContractDomain.ForModelRegistry(ChainId, Registry.Address);

    /// <summary>
    /// Prepares the clients and, when configured, decrypts the anchorer's keystore. Does not
    /// contact the chain node: the ledger starts and ingests while the node is away.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// When the options are incomplete, the keystore cannot be opened, or a previous deployment is misconfigured (<see cref="PreviousDeployments.Resolve"/>).
    /// </exception>
    public static LedgerChain Open(LedgerChainOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.AnchorerKeystorePath is not null)
        {
            return Open(options, LoadAnchorerKey(options));
        }

        var (rpcUrl, chainId, registry, ledger) = Endpoints(options);
        return new LedgerChain(new Web3(rpcUrl.ToString()), chainId, registry, ledger, anchorer: null, options);
    }

    /// <summary>Prepares the clients with an anchorer key already in memory (development chains, tests).</summary>
    /// <exception cref="InvalidOperationException">When the options are incomplete or a previous deployment is misconfigured.</exception>
    public static LedgerChain Open(LedgerChainOptions options, EthECKey anchorerKey)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(anchorerKey);
        var (rpcUrl, chainId, registry, ledger) = Endpoints(options);
        var web3 = new Web3(new Account(anchorerKey, chainId), rpcUrl.ToString());
        web3.TransactionManager.UseLegacyAsDefault = false;
        return new LedgerChain(web3, chainId, registry, ledger, EvmAddress.Parse(anchorerKey.GetPublicAddress()), options);
    }

    private static (Uri RpcUrl, BigInteger ChainId, EvmAddress Registry, EvmAddress Ledger) Endpoints(LedgerChainOptions options) => (
        options.RpcUrl ?? throw new InvalidOperationException("Ledger:Chain:RpcUrl is required."),
        new BigInteger(options.ChainId),
        EvmAddress.Parse(options.ModelRegistry ?? throw new InvalidOperationException("Ledger:Chain:ModelRegistry is required.")),
        EvmAddress.Parse(options.ProvenanceLedger ?? throw new InvalidOperationException("Ledger:Chain:ProvenanceLedger is required.")));

    private static EthECKey LoadAnchorerKey(LedgerChainOptions options)
    {
        var passphraseFile = options.AnchorerPassphraseFile
            ?? throw new InvalidOperationException("Ledger:Chain:AnchorerPassphraseFile is required with an anchorer keystore.");
        var passphrase = File.ReadAllText(passphraseFile).TrimEnd('\r', '\n');
        var json = File.ReadAllText(options.AnchorerKeystorePath!);
        try
        {
            return new EthECKey(new KeyStoreService().DecryptKeyStoreFromJson(passphrase, json), isPrivate: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                $"Cannot open the anchorer keystore '{options.AnchorerKeystorePath}': wrong passphrase or not a keystore.", e);
        }
    }

    private static EvmAddress ParseTrustedAnchorer(string address) =>
        EvmAddress.TryParse(address, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"{LedgerChainOptions.Section}:{nameof(LedgerChainOptions.TrustedAnchorers)}: '{address}' is not an address.");
}
