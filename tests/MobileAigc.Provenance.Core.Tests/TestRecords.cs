using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests;

/// <summary>Random but well-formed records for tests.</summary>
internal static class TestRecords
{
    public static Bytes32 RandomBytes32() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(32));

    public static EvmAddress AddressOf(EthECKey key) => EvmAddress.Parse(key.GetPublicAddress());

    public static ProvenanceRecord Random(EvmAddress node, ulong sequence = 1) => new(
        ContentHash: RandomBytes32(),
        PerceptualHash: RandomBytes32(),
        ModelHash: RandomBytes32(),
        Node: node,
        Creator: AddressOf(EthECKey.GenerateKey()),
        CreatorCommitment: Bytes32.Zero,
        PromptCommitment: RandomBytes32(),
        ParametersHash: RandomBytes32(),
        Timestamp: 1_790_000_000,
        WatermarkId: RandomBytes32(),
        Sequence: sequence);
}
