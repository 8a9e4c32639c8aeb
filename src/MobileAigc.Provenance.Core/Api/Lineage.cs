using System.Text.Json.Serialization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Api;

/// <summary>Why a record's chain of derivations ends where it does.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineageEnd>))]
public enum LineageEnd
{
    /// <summary>The last ancestor names no parent: it was generated from a prompt alone.</summary>
    Origin,

    /// <summary>The last ancestor names a parent this ledger does not hold (another ledger's record, not delivered yet, or invented by its node).</summary>
    UnknownParent,

    /// <summary>The walk stopped at <see cref="LineageLimits.MaxDepth"/> ancestors; older ones may exist.</summary>
    DepthLimit,

    /// <summary>An ancestor names a record already met on the walk. A signed record cannot name a later one, so the ledger's data was altered.</summary>
    Cycle,

    /// <summary>A stored ancestor's parent does not hash to its signed extensions commitment: the ledger's copy was altered.</summary>
    AlteredExtensions,
}

/// <summary>The bounds of a lineage walk.</summary>
public static class LineageLimits
{
    /// <summary>The most ancestors an answer lists: 32.</summary>
    public const int MaxDepth = 32;
}

/// <summary>
/// The chain of derivations above a record: its parent (the picture it was edited from), the parent's parent, and so on,
/// as the records' nodes state them (each record's parent is its node's signed claim).
/// </summary>
/// <param name="Ancestors">Parent first; at most <see cref="LineageLimits.MaxDepth"/>.</param>
/// <param name="End">Why the list ends there.</param>
/// <param name="Detail">One sentence for people, in English.</param>
public sealed record RecordLineage(IReadOnlyList<LineageAncestor> Ancestors, LineageEnd End, string Detail);

/// <summary>One ancestor of a record.</summary>
/// <param name="Generation">1 for the parent, 2 for the grandparent, ...</param>
/// <param name="Digest">The ancestor's record digest, as its child names it.</param>
/// <param name="Known">True when this ledger holds that record; the other fields are null otherwise.</param>
/// <param name="ContentHash">The ancestor's content hash: compare it with the parent file's SHA-256 when you hold that file.</param>
/// <param name="Node">The node that signed the ancestor.</param>
/// <param name="ModelHash">The model that generated it.</param>
/// <param name="SignedAt">When its node says it generated it.</param>
/// <param name="Revoked">True when its node's operator revoked it on chain.</param>
public sealed record LineageAncestor(
    int Generation, Bytes32 Digest, bool Known, Bytes32? ContentHash, EvmAddress? Node, Bytes32? ModelHash, DateTimeOffset? SignedAt, bool Revoked);
