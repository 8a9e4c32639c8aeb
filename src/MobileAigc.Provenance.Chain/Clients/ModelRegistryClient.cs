using System.Numerics;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.ModelRegistry;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Endpoints;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Registry;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;
using Abi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>
/// Typed access to <c>ModelRegistry</c>: models as ERC-721 assets with license terms and lineages
/// (derivative models and their ancestors), registered by commit-reveal; the node keys edge providers
/// register with the key's consent; the model owners' approvals of nodes; the nodes' advertised
/// endpoints. Every method throws <see cref="ContractRevertException"/> when the contract refuses.
/// </summary>
/// <param name="web3">The chain, with the sending account.</param>
/// <param name="address">The registry's address.</param>
/// <param name="awaitBlock">How to wait for a commitment to age: null polls the chain (a real chain mines on its own);
/// a local dev chain that mines per transaction passes one that mines.</param>
public sealed class ModelRegistryClient(IWeb3 web3, EvmAddress address, BlockWaiter? awaitBlock = null)
{
    /// <summary>Largest royalty of one model, in 1/10,000 (the contract's <c>MAX_ROYALTY_BPS</c>): four models of a
    /// lineage take at most 80 % of a payment.</summary>
    public const ushort MaxRoyaltyBasisPoints = 2_000;

    /// <summary>Blocks a model commitment must age before its reveal (the contract's <c>MIN_COMMITMENT_AGE</c>).</summary>
    public const ulong MinCommitmentAge = 5;

    /// <summary>Blocks after which a model commitment can no longer be revealed (the contract's <c>MAX_COMMITMENT_AGE</c>).</summary>
    public const ulong MaxCommitmentAge = 50_400;

    /// <summary>How long a consent this client asks a node key for stays usable.</summary>
    public static readonly TimeSpan ConsentLifetime = TimeSpan.FromHours(1);

    private static readonly TimeSpan BlockPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>Largest number of models in a lineage, the model and its root included (the contract's <c>MAX_LINEAGE_LENGTH</c>).</summary>
    public const int MaxLineageLength = 4;

    /// <summary>Largest advertised endpoint, in UTF-8 bytes (the contract's <c>MAX_ENDPOINT_LENGTH</c>).</summary>
    public const int MaxEndpointLength = 256;

    /// <summary>Blocks per <c>eth_getLogs</c> request when scanning the registry's history (public RPC nodes cap ranges).</summary>
    public const ulong BlocksPerLogRequest = 10_000;

    private const string Contract = "ModelRegistry";
    private readonly ModelRegistryService _service = new(web3, address.ToString());

    /// <summary>The contract's address.</summary>
    public EvmAddress Address { get; } = address;

    /// <summary>
    /// Commits the sending account to <paramref name="claim"/> without showing its model hash: the first step of
    /// a registration. Returns the block the commitment was made in; <see cref="RevealModelAsync"/> may follow
    /// <see cref="MinCommitmentAge"/> blocks later.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>CommitmentAlreadyMade</c> for a commitment still pending.</exception>
    public async Task<ChainTransaction> CommitModelAsync(ModelClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var commitment = claim.CommitmentBy(Sender());
        return ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.CommitModelRequestAndWaitForReceiptAsync(
            commitment.ToArray(), cancellation), cancellationToken));
    }

    /// <summary>
    /// Reveals the sending account's commitment to <paramref name="claim"/> and registers the model; the sending
    /// account becomes its owner. The model starts closed to nodes: approve them with <see cref="SetNodeApprovalAsync"/>
    /// or open it with <see cref="SetModelOpenAsync"/>.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>CommitmentNotFound</c>, <c>CommitmentTooFresh</c>,
    /// <c>CommitmentExpired</c>, <c>ModelAlreadyRegistered</c>, <c>ZeroModelHash</c>, <c>RoyaltyTooHigh</c>,
    /// <c>ParentModelNotRegistered</c>, <c>LineageTooDeep</c>.</exception>
    public async Task<ChainTransaction> RevealModelAsync(ModelClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        return ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.RegisterModelRequestAndWaitForReceiptAsync(
            claim.ModelHash.ToArray(), claim.ParentModelHash.ToArray(), claim.MetadataUri, claim.PricePerGeneration, claim.RoyaltyBasisPoints,
            claim.Salt.ToArray(), cancellation), cancellationToken));
    }

    /// <summary>
    /// Registers <paramref name="claim"/> in full: commits, waits until the commitment is
    /// <see cref="MinCommitmentAge"/> blocks old, and reveals. Returns the reveal.
    /// </summary>
    /// <exception cref="ContractRevertException">Any error of <see cref="CommitModelAsync"/> or <see cref="RevealModelAsync"/>.</exception>
    public async Task<ChainTransaction> RegisterModelAsync(ModelClaim claim, CancellationToken cancellationToken = default)
    {
        var commit = await CommitModelAsync(claim, cancellationToken);
        await WaitUntilRevealableAsync(commit.BlockNumber, cancellationToken);
        return await RevealModelAsync(claim, cancellationToken);
    }

    /// <summary>
    /// Waits until a commitment made in block <paramref name="committedAt"/> may be revealed by the next transaction:
    /// polls the chain, or uses the block waiter this client was given (a dev chain mines the blocks).
    /// </summary>
    public async Task WaitUntilRevealableAsync(ulong committedAt, CancellationToken cancellationToken = default)
    {
        // The reveal is mined in a later block than the latest one: the latest must reach one before the first allowed.
        var target = committedAt + MinCommitmentAge - 1;
        if (awaitBlock is not null)
        {
            await awaitBlock(target, cancellationToken);
            return;
        }

        while ((ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value < target)
        {
            await Task.Delay(BlockPollInterval, cancellationToken);
        }
    }

    /// <summary>Registers a root model with a fresh salt (<see cref="RegisterModelAsync(ModelClaim, CancellationToken)"/>).</summary>
    public Task<ChainTransaction> RegisterModelAsync(
        Bytes32 modelHash, string metadataUri, BigInteger pricePerGeneration, ushort royaltyBasisPoints,
        CancellationToken cancellationToken = default) =>
        RegisterModelAsync(ModelClaim.Create(modelHash, metadataUri, pricePerGeneration, royaltyBasisPoints), cancellationToken);

    /// <summary>
    /// Registers a model derived from <paramref name="parentModelHash"/> (a fine-tune, a personalised
    /// version) with a fresh salt; the sending account becomes its owner. Every later settlement for the new
    /// model also pays each ancestor its own royalty, root first. <see cref="Bytes32.Zero"/> as parent registers
    /// a root model.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>ParentModelNotRegistered</c>, <c>LineageTooDeep</c> (more than
    /// <see cref="MaxLineageLength"/> models), or any error of <see cref="RevealModelAsync"/>.</exception>
    public Task<ChainTransaction> RegisterDerivedModelAsync(
        Bytes32 modelHash, Bytes32 parentModelHash, string metadataUri, BigInteger pricePerGeneration, ushort royaltyBasisPoints,
        CancellationToken cancellationToken = default) =>
        RegisterModelAsync(ModelClaim.Create(modelHash, metadataUri, pricePerGeneration, royaltyBasisPoints, parentModelHash), cancellationToken);

    /// <summary>The block the sending account committed <paramref name="claim"/> in, or null when it holds no such commitment.</summary>
    public async Task<ulong?> CommitmentBlockAsync(ModelClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var block = await RevertDecoder.CallAsync(Contract, () => _service.CommitmentBlockQueryAsync(
            Sender().ToString(), claim.CommitmentBy(Sender()).ToArray()), cancellationToken);
        return block.IsZero ? null : (ulong)block;
    }

    /// <summary>Lets the owner of <paramref name="modelHash"/> approve <paramref name="node"/> to serve it, or withdraw the approval.</summary>
    /// <exception cref="ContractRevertException"><c>NotModelOwner</c>, <c>ModelNotRegistered</c>, <c>ZeroAddress</c>.</exception>
    public async Task<ChainTransaction> SetNodeApprovalAsync(
        Bytes32 modelHash, EvmAddress node, bool approved, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.SetNodeApprovalRequestAndWaitForReceiptAsync(
            modelHash.ToArray(), node.ToString(), approved, cancellation), cancellationToken));

    /// <summary>Lets the owner of <paramref name="modelHash"/> open it to any node that serves it, or close it again.</summary>
    /// <exception cref="ContractRevertException"><c>NotModelOwner</c>, <c>ModelNotRegistered</c>.</exception>
    public async Task<ChainTransaction> SetModelOpenAsync(Bytes32 modelHash, bool open, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.SetModelOpenRequestAndWaitForReceiptAsync(
            modelHash.ToArray(), open, cancellation), cancellationToken));

    /// <summary>True when the model's current owner approved the node (an open model needs no approval).</summary>
    public Task<bool> IsNodeApprovedAsync(EvmAddress node, Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.IsNodeApprovedQueryAsync(node.ToString(), modelHash.ToArray()), cancellationToken);

    /// <summary>True when the model's current owner opened it to any node.</summary>
    public Task<bool> IsModelOpenAsync(Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.IsModelOpenQueryAsync(modelHash.ToArray()), cancellationToken);

    /// <summary>Changes a model's price, royalty and active flag; owner only.</summary>
    public async Task<ChainTransaction> UpdateTermsAsync(
        Bytes32 modelHash, BigInteger pricePerGeneration, ushort royaltyBasisPoints, bool active, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.UpdateTermsRequestAndWaitForReceiptAsync(
            modelHash.ToArray(), pricePerGeneration, royaltyBasisPoints, active, cancellation), cancellationToken));

    /// <summary>Transfers the model (and its future royalties) to <paramref name="to"/>; owner only.</summary>
    public async Task<ChainTransaction> TransferModelAsync(
        EvmAddress from, EvmAddress to, Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.TransferFromRequestAndWaitForReceiptAsync(
            from.ToString(), to.ToString(), TokenId(modelHash), cancellation), cancellationToken));

    /// <summary>
    /// A model's current price per generation, in one call (the edge node reads it for every paid
    /// request it has not cached); throws <see cref="ContractRevertException"/> (<c>ModelNotRegistered</c>) for an unknown hash.
    /// </summary>
    public async Task<BigInteger> GetPriceAsync(Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        (await RevertDecoder.CallAsync(Contract, () => _service.ModelTermsQueryAsync(modelHash.ToArray()), cancellationToken))
            .ReturnValue1.PricePerGeneration;

    /// <summary>Reads a model; throws <see cref="ContractRevertException"/> (<c>ModelNotRegistered</c>) for an unknown hash.</summary>
    public async Task<RegisteredModel> GetModelAsync(Bytes32 modelHash, CancellationToken cancellationToken = default)
    {
        var terms = await RevertDecoder.CallAsync(Contract, () => _service.ModelTermsQueryAsync(modelHash.ToArray()), cancellationToken);
        var owner = await RevertDecoder.CallAsync(Contract, () => _service.ModelOwnerQueryAsync(modelHash.ToArray()), cancellationToken);
        var uri = await RevertDecoder.CallAsync(Contract, () => _service.TokenURIQueryAsync(TokenId(modelHash)), cancellationToken);
        var parent = await RevertDecoder.CallAsync(Contract, () => _service.ParentModelQueryAsync(modelHash.ToArray()), cancellationToken);
        return new RegisteredModel(modelHash, EvmAddress.Parse(owner), uri,
            terms.ReturnValue1.PricePerGeneration, terms.ReturnValue1.RoyaltyBps, terms.ReturnValue1.Active)
        {
            ParentModelHash = Bytes32.FromBytes(parent),
        };
    }

    /// <summary>
    /// A model's lineage: its root first, then each descendant down to <paramref name="modelHash"/>
    /// itself, last. A root model's lineage is just itself.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>ModelNotRegistered</c> for an unknown hash.</exception>
    public async Task<IReadOnlyList<Bytes32>> GetLineageAsync(Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        (await RevertDecoder.CallAsync(Contract, () => _service.LineageQueryAsync(modelHash.ToArray()), cancellationToken))
            .Select(m => Bytes32.FromBytes(m)).ToList();

    /// <summary>
    /// Who a settlement for <paramref name="modelHash"/> pays now, root first: each lineage model with
    /// its current owner and rate. Each gets its rate of the payment (at most <see cref="MaxRoyaltyBasisPoints"/>
    /// each, so a full lineage leaves the provider at least 20 %); the provider gets the rest.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>ModelNotRegistered</c> for an unknown hash.</exception>
    public async Task<IReadOnlyList<LineageRoyaltyShare>> GetRoyaltyLineageAsync(Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        (await RevertDecoder.CallAsync(Contract, () => _service.RoyaltyLineageQueryAsync(modelHash.ToArray()), cancellationToken))
            .Shares.Select(s => new LineageRoyaltyShare(Bytes32.FromBytes(s.ModelHash), EvmAddress.Parse(s.Owner), s.RoyaltyBps))
            .ToList();

    /// <summary>
    /// What <paramref name="node"/>'s key must sign for the sending account to register it: the key's current
    /// nonce and a deadline <see cref="ConsentLifetime"/> after the latest block.
    /// </summary>
    public async Task<NodeConsent> ConsentToRequestAsync(EvmAddress node, CancellationToken cancellationToken = default)
    {
        var nonce = await NodeConsentNonceAsync(node, cancellationToken);
        var latest = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return new NodeConsent(node, Sender(), nonce, latest.Timestamp.Value + (long)ConsentLifetime.TotalSeconds);
    }

    /// <summary>This registry's EIP-712 domain, which a node key's consent names.</summary>
    public async Task<ContractDomain> DomainAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ContractDomain.ForModelRegistry((await web3.Eth.ChainId.SendRequestAsync()).Value, Address);
    }

    /// <summary>
    /// Registers the node of <paramref name="consent"/> serving <paramref name="modelHashes"/>; the sending account,
    /// which the consent must name, becomes its operator, and the key is bound to it for ever. Serving a model
    /// authorises the node for it only once the model's owner approves it or opens the model.
    /// </summary>
    /// <exception cref="ContractRevertException"><c>InvalidNodeConsent</c>, <c>NodeConsentExpired</c>,
    /// <c>NodeKeyBoundToOtherOperator</c>, <c>NodeAlreadyRegistered</c>, <c>ModelNotRegistered</c>.</exception>
    public async Task<ChainTransaction> RegisterNodeAsync(
        SignedNodeConsent consent, IEnumerable<Bytes32> modelHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consent);
        ArgumentNullException.ThrowIfNull(modelHashes);
        var models = modelHashes.Select(m => m.ToArray()).ToList();
        return ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.RegisterNodeRequestAndWaitForReceiptAsync(
            consent.Consent.Node.ToString(), models, consent.Consent.Deadline, consent.Signature.ToArray(), cancellation), cancellationToken));
    }

    /// <summary>
    /// Registers the node whose key the sending account holds (an operator running its own node): asks the key
    /// for its consent (<see cref="ConsentToRequestAsync"/>), signs it with <paramref name="nodeKey"/> and registers.
    /// </summary>
    /// <exception cref="ContractRevertException">Any error of <see cref="RegisterNodeAsync(SignedNodeConsent, IEnumerable{Bytes32}, CancellationToken)"/>.</exception>
    public async Task<ChainTransaction> RegisterNodeAsync(
        EthECKey nodeKey, IEnumerable<Bytes32> modelHashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        var consent = await ConsentToRequestAsync(EvmAddress.Parse(nodeKey.GetPublicAddress()), cancellationToken);
        var signed = NodeConsentTypedData.Sign(consent, await DomainAsync(cancellationToken), nodeKey);
        return await RegisterNodeAsync(signed, modelHashes, cancellationToken);
    }

    /// <summary>The nonce the next consent of <paramref name="node"/>'s key must name.</summary>
    public Task<BigInteger> NodeConsentNonceAsync(EvmAddress node, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.NodeConsentNonceQueryAsync(node.ToString()), cancellationToken);

    /// <summary>
    /// The operator <paramref name="node"/>'s key is bound to for ever (also while deregistered): the only account
    /// that may register it again and revoke its records; the zero address for a key never registered.
    /// </summary>
    public async Task<EvmAddress> NodeKeyOperatorAsync(EvmAddress node, CancellationToken cancellationToken = default) =>
        EvmAddress.Parse(await RevertDecoder.CallAsync(Contract, () => _service.NodeKeyOperatorQueryAsync(node.ToString()), cancellationToken));

    /// <summary>Adds or removes a model a node serves; operator only.</summary>
    public async Task<ChainTransaction> SetNodeModelAsync(
        EvmAddress node, Bytes32 modelHash, bool serves, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.SetNodeModelRequestAndWaitForReceiptAsync(
            node.ToString(), modelHash.ToArray(), serves, cancellation), cancellationToken));

    /// <summary>Removes a node; operator only.</summary>
    public async Task<ChainTransaction> DeregisterNodeAsync(EvmAddress node, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.DeregisterNodeRequestAndWaitForReceiptAsync(
            node.ToString(), cancellation), cancellationToken));

    /// <summary>True when the node is registered, serves the model, and the model's owner approved it or opened the model.</summary>
    public Task<bool> IsNodeAuthorizedAsync(EvmAddress node, Bytes32 modelHash, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.IsNodeAuthorizedQueryAsync(node.ToString(), modelHash.ToArray()), cancellationToken);

    /// <summary>The node's operator, or the zero address when the node is not registered.</summary>
    public async Task<EvmAddress> NodeOperatorAsync(EvmAddress node, CancellationToken cancellationToken = default) =>
        EvmAddress.Parse(await RevertDecoder.CallAsync(Contract, () => _service.NodeOperatorQueryAsync(node.ToString()), cancellationToken));

    /// <summary>
    /// Advertises <paramref name="endpoint"/> as the public URL creators reach the node at, or
    /// withdraws the advertisement when it is null; operator only. The URL must pass
    /// <see cref="NodeEndpoint"/>'s rule for a public endpoint, and is written in its <see cref="Uri.AbsoluteUri"/> form.
    /// </summary>
    /// <exception cref="InvalidEndpointException">When <paramref name="endpoint"/> breaks <see cref="NodeEndpoint"/>'s rule, or
    /// is longer than <see cref="MaxEndpointLength"/> bytes.</exception>
    /// <exception cref="ContractRevertException"><c>NodeNotRegistered</c> or <c>NotNodeOperator</c>.</exception>
    public Task<ChainTransaction> SetNodeEndpointAsync(EvmAddress node, Uri? endpoint, CancellationToken cancellationToken = default) =>
        SetNodeEndpointAsync(node, endpoint, EndpointScope.Public, cancellationToken);

    /// <summary>
    /// Advertises <paramref name="endpoint"/> as <see cref="SetNodeEndpointAsync(EvmAddress, Uri?, CancellationToken)"/>
    /// does, checked in <paramref name="scope"/>: <see cref="EndpointScope.LocalDevelopment"/> lets a local
    /// development network advertise a loopback or private address.
    /// </summary>
    /// <exception cref="InvalidEndpointException">When <paramref name="endpoint"/> breaks <see cref="NodeEndpoint"/>'s rule in
    /// <paramref name="scope"/>, or is longer than <see cref="MaxEndpointLength"/> bytes.</exception>
    /// <exception cref="ContractRevertException"><c>NodeNotRegistered</c> or <c>NotNodeOperator</c>.</exception>
    public async Task<ChainTransaction> SetNodeEndpointAsync(EvmAddress node, Uri? endpoint, EndpointScope scope, CancellationToken cancellationToken = default)
    {
        var text = endpoint is null ? "" : ValidEndpoint(endpoint, scope);
        return ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.SetNodeEndpointRequestAndWaitForReceiptAsync(
            node.ToString(), text, cancellation), cancellationToken));
    }

    /// <summary>
    /// The public endpoint the node advertises, or null when it advertises none, is not registered,
    /// or advertises something that breaks <see cref="NodeEndpoint"/>'s rule (the contract only bounds
    /// the length, so what it holds is checked here; the address check is the local development one,
    /// as a reader cannot know the network it runs in: whoever connects checks again in its own scope).
    /// </summary>
    public async Task<Uri?> GetNodeEndpointAsync(EvmAddress node, CancellationToken cancellationToken = default) =>
        ParseEndpoint(await RevertDecoder.CallAsync(Contract, () => _service.NodeEndpointQueryAsync(node.ToString()), cancellationToken));

    /// <summary>
    /// The nodes that serve <paramref name="modelHash"/> now, with their operators and endpoints, in
    /// the order they first announced the model. The contract keeps no list of a model's nodes, so
    /// this reads the registry's <c>NodeModelSet</c> events from <paramref name="fromBlock"/> (the
    /// deployment block saves work on a long chain) in ranges of <see cref="BlocksPerLogRequest"/>
    /// blocks, then keeps the nodes the contract still authorises for the model.
    /// </summary>
    public async Task<IReadOnlyList<ServingNode>> ListNodesServingAsync(
        Bytes32 modelHash, ulong fromBlock = 0, CancellationToken cancellationToken = default)
    {
        var handler = web3.Eth.GetEvent<Abi.NodeModelSetEventDTO>(Address.ToString());
        var latest = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var candidates = new List<EvmAddress>();
        for (var start = fromBlock; start <= latest; start += BlocksPerLogRequest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(latest, start + BlocksPerLogRequest - 1);
            var filter = handler.CreateFilterInput(
                null, [modelHash.ToArray()], BlockAt(start), BlockAt(end));
            foreach (var log in await handler.GetAllChangesAsync(filter))
            {
                var node = EvmAddress.Parse(log.Event.Node);
                if (log.Event.Serves && !candidates.Contains(node))
                {
                    candidates.Add(node);
                }
            }
        }

        var serving = new List<ServingNode>();
        foreach (var node in candidates)
        {
            if (await IsNodeAuthorizedAsync(node, modelHash, cancellationToken))
            {
                serving.Add(new ServingNode(
                    node, await NodeOperatorAsync(node, cancellationToken), await GetNodeEndpointAsync(node, cancellationToken)));
            }
        }

        return serving;
    }

    private EvmAddress Sender() => EvmAddress.Parse(web3.TransactionManager.Account?.Address
        ?? throw new InvalidOperationException("Sending to the registry needs a Web3 with a signing account."));

    private static string ValidEndpoint(Uri endpoint, EndpointScope scope)
    {
        var text = NodeEndpoint.Validate(endpoint, scope).AbsoluteUri;
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        return length <= MaxEndpointLength
            ? text
            : throw new InvalidEndpointException($"The endpoint is {length} bytes long; the registry takes at most {MaxEndpointLength}.");
    }

    private static Uri? ParseEndpoint(string? text) =>
        NodeEndpoint.TryParse(text, EndpointScope.LocalDevelopment, out var endpoint, out _) ? endpoint : null;

    private static BlockParameter BlockAt(ulong number) => new(new HexBigInteger(number));

    // A model's ERC-721 token id is its hash read as a number.
    private static BigInteger TokenId(Bytes32 modelHash) => new(modelHash.AsSpan(), isUnsigned: true, isBigEndian: true);
}
