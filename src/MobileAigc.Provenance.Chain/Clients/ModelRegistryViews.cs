using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>A model as <c>ModelRegistry</c> holds it.</summary>
/// <param name="ModelHash">SHA-256 of the ONNX file; the ERC-721 token id is this number.</param>
/// <param name="Owner">The token's owner, who receives the royalties.</param>
/// <param name="MetadataUri">Where the model's description lives.</param>
/// <param name="PricePerGeneration">Price of one generation in the channel token's smallest unit.</param>
/// <param name="RoyaltyBasisPoints">The owner's share of each payment, in 1/10,000.</param>
/// <param name="Active">Whether new channels may be opened for the model.</param>
public sealed record RegisteredModel(
    Bytes32 ModelHash, EvmAddress Owner, string MetadataUri, BigInteger PricePerGeneration, ushort RoyaltyBasisPoints, bool Active)
{
    /// <summary>The model this one derives from, or <see cref="Bytes32.Zero"/> for a root model.</summary>
    public Bytes32 ParentModelHash { get; init; }
}

/// <summary>One model of a lineage with who it pays and how much, as a settlement reads it now.</summary>
/// <param name="ModelHash">The model.</param>
/// <param name="Owner">Its current owner, credited its royalty.</param>
/// <param name="RoyaltyBasisPoints">Its current royalty rate, in 1/10,000 of each payment.</param>
public sealed record LineageRoyaltyShare(Bytes32 ModelHash, EvmAddress Owner, ushort RoyaltyBasisPoints);

/// <summary>A registered node that serves a model now, with where creators reach it.</summary>
/// <param name="Node">The node's signing address.</param>
/// <param name="Operator">The account that operates it.</param>
/// <param name="Endpoint">Its advertised public endpoint, or null when it advertises none (or nothing usable).</param>
public sealed record ServingNode(EvmAddress Node, EvmAddress Operator, Uri? Endpoint);
