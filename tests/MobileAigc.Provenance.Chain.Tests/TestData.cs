using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;

namespace MobileAigc.Provenance.Chain.Tests;

internal static class TestData
{
    public static Bytes32 RandomBytes32() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(32));

    public static ProvenanceRecord Record(EvmAddress node, Bytes32 modelHash, ulong sequence) => new(
        ContentHash: RandomBytes32(),
        PerceptualHash: RandomBytes32(),
        ModelHash: modelHash,
        Node: node,
        Creator: EvmAddress.Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
        CreatorCommitment: Bytes32.Zero,
        PromptCommitment: RandomBytes32(),
        ParametersHash: RandomBytes32(),
        Timestamp: (ulong)DateTimeOffset.UnixEpoch.AddYears(56).ToUnixTimeSeconds(),
        WatermarkId: RandomBytes32(),
        Sequence: sequence);
}
