using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Tests.Merkle;

public class MerkleTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1024)]
    [InlineData(1025)]
    public void GetProof_EveryLeaf_VerifiesAgainstTheRoot(int count)
    {
        var digests = Enumerable.Range(0, count).Select(_ => TestRecords.RandomBytes32()).ToList();

        var tree = MerkleTree.Build(digests);

        for (var i = 0; i < count; i++)
        {
            Assert.True(MerkleTree.Verify(tree.Root, digests[i], tree.GetProof(i)), $"leaf {i} of {count}");
        }
    }

    [Fact]
    public void Build_OneLeaf_RootIsTheLeafAndProofIsEmpty()
    {
        var digest = TestRecords.RandomBytes32();

        var tree = MerkleTree.Build([digest]);

        Assert.Equal(MerkleTree.LeafOf(digest), tree.Root);
        Assert.Empty(tree.GetProof(0));
    }

    [Fact]
    public void Verify_WrongDigestOrTamperedProof_IsFalse()
    {
        var digests = Enumerable.Range(0, 6).Select(_ => TestRecords.RandomBytes32()).ToList();
        var tree = MerkleTree.Build(digests);
        var proof = tree.GetProof(2).ToList();

        Assert.False(MerkleTree.Verify(tree.Root, digests[3], proof));
        proof[0] = TestRecords.RandomBytes32();
        Assert.False(MerkleTree.Verify(tree.Root, digests[2], proof));
    }

    [Fact]
    public void Verify_InnerNodePresentedAsDigest_IsFalse()
    {
        // The second-preimage attack on naive trees: an inner node with the rest of the path.
        var digests = Enumerable.Range(0, 4).Select(_ => TestRecords.RandomBytes32()).ToList();
        var tree = MerkleTree.Build(digests);
        var proofOfLeaf0 = tree.GetProof(0);
        var innerNode = MerkleTree.ComputeRoot(digests[0], proofOfLeaf0.Take(1));

        Assert.False(MerkleTree.Verify(tree.Root, innerNode, proofOfLeaf0.Skip(1)));
    }

    [Fact]
    public void Build_NoLeaves_Throws() =>
        Assert.Throws<ArgumentException>(() => MerkleTree.Build(Array.Empty<Bytes32>()));

    [Fact]
    public void GetProof_IndexOutsideTheTree_Throws()
    {
        var tree = MerkleTree.Build([TestRecords.RandomBytes32(), TestRecords.RandomBytes32()]);

        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.GetProof(-1));
    }
}
