using System.Numerics;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.ModelRegistry;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>A model as <c>ModelRegistry</c> holds it.</summary>
/// <param name="ModelHash">SHA-256 of the ONNX file; the ERC-721 token id is this number.</param>
/// <param name="Owner">The token's owner, who receives the royalties.</param>
/// <param name="MetadataUri">Where the model's description lives.</param>
/// <param name="PricePerGeneration">Price of one generation in the channel token's smallest unit.</param>
/// <param name="RoyaltyBasisPoints">The owner's share of each payment, in 1/10,000.</param>
/// <param name="Active">Whether new channels may be opened for the model.</param>
public sealed record RegisteredModel(
    Bytes32 ModelHash, EvmAddress Owner, string MetadataUri, BigInteger PricePerGeneration, ushort RoyaltyBasisPoints, bool Active);

/// <summary>
/// Typed access to <c>ModelRegistry</c>: models as ERC-721 assets with license terms, and the
/// node keys edge providers register for the models they serve. Every method throws
/// <see cref="ContractRevertException"/> when the contract refuses.
/// </summary>
public sealed class ModelRegistryClient(IWeb3 web3, EvmAddress address)
{
    private const string Contract = "ModelRegistry";
    private readonly ModelRegistryService _service = new(web3, address.ToString());

    /// <summary>The contract's address.</summary>
    public EvmAddress Address { get; } = address;

    /// <summary>Registers a model; the sending account becomes its owner.</summary>
    public async Task<ChainTransaction> RegisterModelAsync(
        Bytes32 modelHash, string metadataUri, BigInteger pricePerGeneration, ushort royaltyBasisPoints)
    {
        var receipt = await RevertDecoder.SendAsync(Contract, () => _service.RegisterModelRequestAndWaitForReceiptAsync(
            modelHash.ToArray(), metadataUri, pricePerGeneration, royaltyBasisPoints));
        return ChainTransaction.From(receipt);
    }

    /// <summary>Changes a model's price, royalty and active flag; owner only.</summary>
    public async Task<ChainTransaction> UpdateTermsAsync(
        Bytes32 modelHash, BigInteger pricePerGeneration, ushort royaltyBasisPoints, bool active) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, () => _service.UpdateTermsRequestAndWaitForReceiptAsync(
            modelHash.ToArray(), pricePerGeneration, royaltyBasisPoints, active)));

    /// <summary>Transfers the model (and its future royalties) to <paramref name="to"/>; owner only.</summary>
    public async Task<ChainTransaction> TransferModelAsync(EvmAddress from, EvmAddress to, Bytes32 modelHash) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, () => _service.TransferFromRequestAndWaitForReceiptAsync(
            from.ToString(), to.ToString(), TokenId(modelHash))));

    /// <summary>Reads a model; throws <see cref="ContractRevertException"/> (<c>ModelNotRegistered</c>) for an unknown hash.</summary>
    public async Task<RegisteredModel> GetModelAsync(Bytes32 modelHash)
    {
        var terms = await RevertDecoder.CallAsync(Contract, () => _service.ModelTermsQueryAsync(modelHash.ToArray()));
        var owner = await RevertDecoder.CallAsync(Contract, () => _service.ModelOwnerQueryAsync(modelHash.ToArray()));
        var uri = await RevertDecoder.CallAsync(Contract, () => _service.TokenURIQueryAsync(TokenId(modelHash)));
        return new RegisteredModel(modelHash, EvmAddress.Parse(owner), uri,
            terms.ReturnValue1.PricePerGeneration, terms.ReturnValue1.RoyaltyBps, terms.ReturnValue1.Active);
    }

    /// <summary>Registers a node key serving the given models; the sending account becomes its operator.</summary>
    public async Task<ChainTransaction> RegisterNodeAsync(EvmAddress node, IEnumerable<Bytes32> modelHashes) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, () => _service.RegisterNodeRequestAndWaitForReceiptAsync(
            node.ToString(), modelHashes.Select(m => m.ToArray()).ToList())));

    /// <summary>Adds or removes a model a node serves; operator only.</summary>
    public async Task<ChainTransaction> SetNodeModelAsync(EvmAddress node, Bytes32 modelHash, bool serves) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, () => _service.SetNodeModelRequestAndWaitForReceiptAsync(
            node.ToString(), modelHash.ToArray(), serves)));

    /// <summary>Removes a node; operator only.</summary>
    public async Task<ChainTransaction> DeregisterNodeAsync(EvmAddress node) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, () => _service.DeregisterNodeRequestAndWaitForReceiptAsync(node.ToString())));

    /// <summary>True when the node is registered and serves the model.</summary>
    public Task<bool> IsNodeAuthorizedAsync(EvmAddress node, Bytes32 modelHash) =>
        RevertDecoder.CallAsync(Contract, () => _service.IsNodeAuthorizedQueryAsync(node.ToString(), modelHash.ToArray()));

    /// <summary>The node's operator, or the zero address when the node is not registered.</summary>
    public async Task<EvmAddress> NodeOperatorAsync(EvmAddress node) =>
        EvmAddress.Parse(await RevertDecoder.CallAsync(Contract, () => _service.NodeOperatorQueryAsync(node.ToString())));

    // A model's ERC-721 token id is its hash read as a number.
    private static BigInteger TokenId(Bytes32 modelHash) => new(modelHash.AsSpan(), isUnsigned: true, isBigEndian: true);
}
