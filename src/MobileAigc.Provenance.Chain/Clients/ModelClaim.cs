using System.Numerics;
using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.ABI;
using Nethereum.Util;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>
/// A model registration as <c>ModelRegistry</c>'s commit-reveal takes it: what will be registered and the
/// committer's secret salt. <see cref="CommitmentBy"/> is what is committed first; the claim itself is
/// revealed <see cref="ModelRegistryClient.MinCommitmentAge"/> blocks later. Keep the claim (its salt) between
/// the two steps: without it the commitment cannot be revealed.
/// </summary>
/// <param name="ModelHash">SHA-256 of the model's ONNX file.</param>
/// <param name="ParentModelHash">The model it derives from, or <see cref="Bytes32.Zero"/> for a root model.</param>
/// <param name="MetadataUri">Where the model's description lives.</param>
/// <param name="PricePerGeneration">Suggested price of one generation.</param>
/// <param name="RoyaltyBasisPoints">The model's royalty, in 1/10,000 (at most <see cref="ModelRegistryClient.MaxRoyaltyBasisPoints"/>).</param>
/// <param name="Salt">The committer's secret: 32 random bytes that keep the model hash out of the commitment.</param>
public sealed record ModelClaim(
    Bytes32 ModelHash, Bytes32 ParentModelHash, string MetadataUri, BigInteger PricePerGeneration, ushort RoyaltyBasisPoints, Bytes32 Salt)
{
    /// <summary>A claim with a fresh random salt.</summary>
    public static ModelClaim Create(
        Bytes32 modelHash, string metadataUri, BigInteger pricePerGeneration, ushort royaltyBasisPoints, Bytes32 parentModelHash = default) =>
        new(modelHash, parentModelHash, metadataUri, pricePerGeneration, royaltyBasisPoints, Bytes32.FromBytes(RandomNumberGenerator.GetBytes(Bytes32.Length)));

    /// <summary>
    /// The commitment <paramref name="committer"/> sends first: <c>keccak256(abi.encode(modelHash, parentHash,
    /// keccak256(metadataURI), price, royaltyBps, committer, salt))</c>, as <c>ModelRegistry.modelCommitment</c>
    /// computes it. It names the committer, so nobody else can reveal it.
    /// </summary>
    public Bytes32 CommitmentBy(EvmAddress committer) =>
        Bytes32.FromBytes(new ABIEncode().GetSha3ABIEncoded(
            new ABIValue("bytes32", ModelHash.ToArray()),
            new ABIValue("bytes32", ParentModelHash.ToArray()),
            new ABIValue("bytes32", Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(MetadataUri))),
            new ABIValue("uint128", PricePerGeneration),
            new ABIValue("uint16", RoyaltyBasisPoints),
            new ABIValue("address", committer.ToString()),
            new ABIValue("bytes32", Salt.ToArray())));
}

/// <summary>
/// Waits until the chain's latest block is at least <paramref name="blockNumber"/>: how a client lets a
/// commitment age. On a real chain it polls; a local dev chain that mines only per transaction mines
/// the blocks instead (<see cref="DevChain.AnvilNode.MineUntilAsync"/>).
/// </summary>
/// <param name="blockNumber">The block to reach.</param>
/// <param name="cancellationToken">Stops waiting.</param>
public delegate Task BlockWaiter(ulong blockNumber, CancellationToken cancellationToken);
