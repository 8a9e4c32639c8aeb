using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Merkle;

/// <summary>
/// A Merkle tree over record digests that OpenZeppelin's <c>MerkleProof</c> accepts and
/// <c>@openzeppelin/merkle-tree</c>'s <c>StandardMerkleTree.of(values, ["bytes32"], { sortLeaves: false })</c>
/// rebuilds to the same root: leaves are double-hashed (<see cref="LeafOf"/>), inner nodes hash
/// sorted pairs, and nodes sit in the StandardMerkleTree array layout (leaf i at index
/// <c>length - 1 - i</c>, the children of node k at <c>2k + 1</c> and <c>2k + 2</c>).
/// </summary>
public sealed class MerkleTree
{
    private readonly Bytes32[] _nodes;

    private MerkleTree(Bytes32[] nodes, int leafCount)
    {
        _nodes = nodes;
        LeafCount = leafCount;
    }

    /// <summary>The root the contract anchors.</summary>
    public Bytes32 Root => _nodes[0];

    /// <summary>The number of leaves (records) in the tree.</summary>
    public int LeafCount { get; }

    /// <summary>Builds the tree over record digests in the given order (the batch's sequence order).</summary>
    /// <exception cref="ArgumentException">When <paramref name="recordDigests"/> is empty.</exception>
    public static MerkleTree Build(IReadOnlyList<Bytes32> recordDigests)
    {
        ArgumentNullException.ThrowIfNull(recordDigests);
        if (recordDigests.Count == 0)
        {
            throw new ArgumentException("A Merkle tree needs at least one leaf.", nameof(recordDigests));
        }

        var count = recordDigests.Count;
        var nodes = new Bytes32[(2 * count) - 1];
        for (var i = 0; i < count; i++)
        {
            nodes[nodes.Length - 1 - i] = LeafOf(recordDigests[i]);
        }

        for (var k = nodes.Length - 1 - count; k >= 0; k--)
        {
            nodes[k] = HashPair(nodes[(2 * k) + 1], nodes[(2 * k) + 2]);
        }

        return new MerkleTree(nodes, count);
    }

    /// <summary>The sibling hashes from leaf <paramref name="leafIndex"/> up to the root.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the index is not a leaf of this tree.</exception>
    public IReadOnlyList<Bytes32> GetProof(int leafIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(leafIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, LeafCount);

        var proof = new List<Bytes32>();
        for (var k = _nodes.Length - 1 - leafIndex; k > 0; k = (k - 1) / 2)
        {
            proof.Add(_nodes[k % 2 == 1 ? k + 1 : k - 1]);
        }

        return proof;
    }

    /// <summary>
    /// The leaf of a record: keccak256(keccak256(abi.encode(recordDigest))). Hashing twice keeps a
    /// leaf from ever being mistaken for an inner node (whose preimage is 64 bytes).
    /// </summary>
    public static Bytes32 LeafOf(Bytes32 recordDigest)
    {
        Span<byte> inner = stackalloc byte[Keccak256.Length];
        Keccak256.Hash(recordDigest.AsSpan(), inner);
        Span<byte> leaf = stackalloc byte[Keccak256.Length];
        Keccak256.Hash(inner, leaf);
        return Bytes32.FromBytes(leaf);
    }

    /// <summary>Recomputes the root from a record digest and its proof, as <c>MerkleProof.verify</c> does.</summary>
    public static Bytes32 ComputeRoot(Bytes32 recordDigest, IEnumerable<Bytes32> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var node = LeafOf(recordDigest);
        foreach (var sibling in proof)
        {
            node = HashPair(node, sibling);
        }

        return node;
    }

    /// <summary>True when the proof leads from the record digest to <paramref name="root"/>.</summary>
    public static bool Verify(Bytes32 root, Bytes32 recordDigest, IEnumerable<Bytes32> proof) =>
        ComputeRoot(recordDigest, proof) == root;

    private static Bytes32 HashPair(Bytes32 a, Bytes32 b)
    {
        Span<byte> pair = stackalloc byte[2 * Bytes32.Length];
        var (low, high) = a.AsSpan().SequenceCompareTo(b.AsSpan()) <= 0 ? (a, b) : (b, a);
        low.AsSpan().CopyTo(pair);
        high.AsSpan().CopyTo(pair[Bytes32.Length..]);
        Span<byte> hash = stackalloc byte[Keccak256.Length];
        Keccak256.Hash(pair, hash);
        return Bytes32.FromBytes(hash);
    }
}
