using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>The ledger's model endpoints: <c>GET api/models/{hash}/lineage</c>.</summary>
public static class LedgerModels
{
    /// <summary>The group's route, relative to the ledger's base address: <c>api/models</c>.</summary>
    public const string ModelsPath = "api/models";

    /// <summary>
    /// The most models a lineage holds, the model and its root included: 4, <c>ModelRegistry.MAX_LINEAGE_LENGTH</c>
    /// (the contract refuses a registration that would make a longer one).
    /// </summary>
    public const int MaxLineageLength = 4;

    /// <summary>The path of <paramref name="modelHash"/>'s lineage, relative to the ledger's base address.</summary>
    public static string LineagePath(Bytes32 modelHash) => $"{ModelsPath}/{modelHash}/lineage";
}

/// <summary>
/// A model's lineage as the ledger mirrored it from <c>ModelRegistry</c>: the model, its parent, the parent's parent, up
/// to its root model, with each one's owner, terms and the royalties its owners received from indexed settlements.
/// </summary>
/// <param name="ModelHash">The model asked about.</param>
/// <param name="Models">The model first (depth 0), its root last; at most <see cref="LedgerModels.MaxLineageLength"/>.</param>
/// <param name="Complete">
/// True when the list ends at a model that names no parent. False only when the mirror holds a parent it has not
/// registered, or a lineage longer than the contract allows: the ledger's copy was altered.
/// </param>
/// <param name="RegistryIndexedThroughBlock">
/// The last block whose registry events the answer includes (owners, terms, parents); null before the indexer's first step.
/// </param>
/// <param name="SettlementsIndexedThroughBlock">
/// The last block whose settlements the royalties include; null when the ledger indexes no settlements (it has no
/// <c>PaymentChannels</c> contract) or before that indexer's first step.
/// </param>
public sealed record ModelLineage(
    Bytes32 ModelHash, IReadOnlyList<LineageModel> Models, bool Complete, long? RegistryIndexedThroughBlock, long? SettlementsIndexedThroughBlock);

/// <summary>One model of a lineage.</summary>
/// <param name="Depth">0 for the model asked about, 1 for its parent, and so on up to the root.</param>
/// <param name="ModelHash">SHA-256 of the ONNX file: the model's id.</param>
/// <param name="Name">
/// The model's name from a manifest the ledger was given (<c>Ledger:Verification:ModelManifests</c> or
/// <c>TextModelManifests</c>) that pins this hash; null when none does. The registry holds no names.
/// </param>
/// <param name="ParentHash">The model it derives from; null for the root.</param>
/// <param name="Owner">The current ERC-721 owner, who receives its royalty.</param>
/// <param name="OwnerSinceBlock">The block of the last change of owner (the mint for a model never transferred); null when the mirror holds none.</param>
/// <param name="PricePerGeneration">Price per generation in the token's smallest unit (decimal string).</param>
/// <param name="RoyaltyBasisPoints">The share of every payment for this model or any of its derivatives that goes to its owner, in 1/10,000.</param>
/// <param name="Active">Whether it accepts new channels.</param>
/// <param name="RoyaltiesReceived">
/// What its owners received from indexed settlements, one entry per token, for this model's own channels and its
/// derivatives' together; empty when none. Null in verification answers, which do not sum them (ask the lineage endpoint).
/// </param>
public sealed record LineageModel(
    int Depth,
    Bytes32 ModelHash,
    string? Name,
    Bytes32? ParentHash,
    EvmAddress Owner,
    long? OwnerSinceBlock,
    string PricePerGeneration,
    int RoyaltyBasisPoints,
    bool Active,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<ReceivedRoyalty>? RoyaltiesReceived = null);

/// <summary>The royalties a model's owners received in one token.</summary>
/// <param name="Token">The token; the zero address for ETH.</param>
/// <param name="Payments">How many settled vouchers paid it a royalty.</param>
/// <param name="Amount">The total in the token's smallest unit (decimal string).</param>
public sealed record ReceivedRoyalty(EvmAddress Token, long Payments, string Amount);
