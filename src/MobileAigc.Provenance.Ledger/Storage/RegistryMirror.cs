using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Storage;

/// <summary>A model as the ledger last saw it in <c>ModelRegistry</c>'s events.</summary>
public sealed class MirroredModel
{
    /// <summary>SHA-256 of the ONNX file: the model's id.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>The ERC-721 owner, who receives royalties.</summary>
    public EvmAddress Owner { get; set; }

    /// <summary>Where the model's description lives.</summary>
    public string MetadataUri { get; set; } = "";

    /// <summary>Price per generation in the token's smallest unit, as a decimal string (uint128 does not fit a database integer).</summary>
    public string PricePerGeneration { get; set; } = "0";

    /// <summary>The owner's share of each payment, in 1/10,000.</summary>
    public int RoyaltyBasisPoints { get; set; }

    /// <summary>Whether the model accepts new channels.</summary>
    public bool Active { get; set; }

    /// <summary>The model it was derived from (fine-tuned, personalised), or null for a root model.</summary>
    public Bytes32? ParentHash { get; set; }

    /// <summary>The block of the registration.</summary>
    public long RegisteredBlock { get; set; }

    /// <summary>Whether the current owner opened the model to any node that serves it (a transfer closes it).</summary>
    public bool OpenToAnyNode { get; set; }
}

/// <summary>
/// One change of a model's owner: an ERC-721 <c>Transfer</c> of its token, the mint included (from the zero
/// address). The history a royalty recipient can be traced through; <see cref="MirroredModel.Owner"/> is the latest.
/// </summary>
public sealed class ModelOwnerChange
{
    /// <summary>Local id, in chain order (block, log index).</summary>
    public long Id { get; set; }

    /// <summary>The model whose token moved.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>The owner before; the zero address for the mint.</summary>
    public EvmAddress PreviousOwner { get; set; }

    /// <summary>The owner after.</summary>
    public EvmAddress NewOwner { get; set; }

    /// <summary>The event's block.</summary>
    public long BlockNumber { get; set; }

    /// <summary>The event's index in its block.</summary>
    public long LogIndex { get; set; }

    /// <summary>The transaction that moved it.</summary>
    public Bytes32 TransactionHash { get; set; }
}

/// <summary>A node the model's current owner approved to serve it (a transfer of the model clears these).</summary>
public sealed class ModelNodeApproval
{
    /// <summary>The model.</summary>
    public Bytes32 ModelHash { get; set; }

    /// <summary>The approved node.</summary>
    public EvmAddress Node { get; set; }
}

/// <summary>A node key as the ledger last saw it in <c>ModelRegistry</c>'s events.</summary>
public sealed class MirroredNode
{
    /// <summary>The node's signing address.</summary>
    public EvmAddress Node { get; set; }

    /// <summary>The account that registered it: the operator the key is bound to for ever.</summary>
    public EvmAddress Operator { get; set; }

    /// <summary>Where the node takes generation requests, as its operator advertised it; null when never set.</summary>
    public string? Endpoint { get; set; }

    /// <summary>False once deregistered.</summary>
    public bool Registered { get; set; }

    /// <summary>The models the node serves now.</summary>
    public List<NodeModelGrant> Models { get; set; } = [];
}

/// <summary>One model a node serves.</summary>
public sealed class NodeModelGrant
{
    /// <summary>The node.</summary>
    public EvmAddress Node { get; set; }

    /// <summary>The model.</summary>
    public Bytes32 ModelHash { get; set; }
}

/// <summary>How far an event indexer has read the chain; the block hash notices reorganisations.</summary>
public sealed class ChainCursor
{
    /// <summary>The indexer's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The next block to read.</summary>
    public long NextBlock { get; set; }

    /// <summary>The hash of block <c>NextBlock - 1</c> when it was read.</summary>
    public Bytes32? LastBlockHash { get; set; }
}

/// <summary>
/// A time-limited lease that makes one replica the only one doing a job (anchoring). The
/// holder renews it; when the holder dies it expires and another replica takes it. The
/// generation grows at every change of holder, so a stale holder's writes can be fenced.
/// </summary>
public sealed class WorkerLease
{
    /// <summary>The job's name.</summary>
    public string Name { get; set; } = "";

    /// <summary>The replica holding it.</summary>
    public string Holder { get; set; } = "";

    /// <summary>When it lapses unless renewed.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Grows by one at every change of holder.</summary>
    public long Generation { get; set; }
}
