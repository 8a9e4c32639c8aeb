using System.Text.Json;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Chain.Tests;

/// <summary>
/// The C# tree against OpenZeppelin's JavaScript <c>StandardMerkleTree</c> (run under Node from
/// contracts/node_modules): same root and same proofs, so auditors can rebuild batches with it.
/// </summary>
public sealed class OpenZeppelinMerkleTreeTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(100)]
    [InlineData(1025)]
    public async Task Build_SameDigests_SameRootAndProofsAsOpenZeppelin(int count)
    {
        var digests = Enumerable.Range(0, count).Select(_ => TestData.RandomBytes32()).ToList();

        var (root, proofs) = await OpenZeppelinTreeAsync(digests);

        var tree = MerkleTree.Build(digests);
        Assert.Equal(root, tree.Root);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(proofs[i], tree.GetProof(i));
        }
    }

    private static async Task<(Bytes32 Root, List<List<Bytes32>> Proofs)> OpenZeppelinTreeAsync(IEnumerable<Bytes32> digests)
    {
        var script = Path.Combine(RepositoryPaths.Root, "contracts", "tools", "merkle-tree.cjs");
        var (exitCode, output, error) = await ChildProcess.RunAsync("node", [script], standardInput: string.Join('\n', digests));
        Assert.True(exitCode == 0, error);

        using var json = JsonDocument.Parse(output);
        var root = Bytes32.Parse(json.RootElement.GetProperty("root").GetString()!);
        var proofs = json.RootElement.GetProperty("proofs").EnumerateArray()
            .Select(p => p.EnumerateArray().Select(h => Bytes32.Parse(h.GetString()!)).ToList())
            .ToList();
        return (root, proofs);
    }
}
