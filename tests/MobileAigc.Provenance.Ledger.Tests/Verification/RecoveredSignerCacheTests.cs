using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Verification;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Verification;

/// <summary>The bounded memory of signers recovered from stored record signatures.</summary>
public sealed class RecoveredSignerCacheTests
{
    private static readonly ContractDomain Domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000aa"));
    private static readonly ContractDomain OtherDomain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x00000000000000000000000000000000000000ab"));
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();
    private readonly EthECKey _otherKey = EthECKey.GenerateKey();

    [Fact]
    public void TryRecover_SameRecordTwice_AnswersTheSignerBothTimes()
    {
        var cache = new RecoveredSignerCache(16);
        var verifier = new RecordSignatureVerifier(Domain);
        var record = Record(_nodeKey, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);

        Assert.True(cache.TryRecover(verifier, record, verifier.Digest(record), signature, out var first));
        Assert.True(cache.TryRecover(verifier, record, verifier.Digest(record), signature, out var second));

        Assert.Equal(record.Node, first);
        Assert.Equal(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TryRecover_SameDigestAnotherSignature_RecoversTheOtherSigner()
    {
        // A database that swapped a record's signature for another key's over the same fields must not be answered from memory.
        var cache = new RecoveredSignerCache(16);
        var verifier = new RecordSignatureVerifier(Domain);
        var record = Record(_nodeKey, 1);
        var digest = verifier.Digest(record);
        Assert.True(cache.TryRecover(verifier, record, digest, ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey), out var honest));

        Assert.True(cache.TryRecover(verifier, record, digest, ProvenanceRecordTypedData.Sign(record, Domain, _otherKey), out var swapped));

        Assert.Equal(record.Node, honest);
        Assert.Equal(EvmAddress.Parse(_otherKey.GetPublicAddress()), swapped);
    }

    [Fact]
    public void TryRecover_SameSignatureInAnotherDomain_RecoversAnotherAddress()
    {
        var cache = new RecoveredSignerCache(16);
        var record = Record(_nodeKey, 1);
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);
        var here = new RecordSignatureVerifier(Domain);
        var there = new RecordSignatureVerifier(OtherDomain);
        Assert.True(cache.TryRecover(here, record, here.Digest(record), signature, out var signer));

        var recoveredThere = cache.TryRecover(there, record, there.Digest(record), signature, out var otherSigner);

        Assert.Equal(record.Node, signer);
        Assert.False(recoveredThere && otherSigner == record.Node, "A signature from one domain recovered to the node in another.");
    }

    [Fact]
    public void TryRecover_SignatureThatRecoversToNoKey_AnswersFalseEveryTime()
    {
        var cache = new RecoveredSignerCache(16);
        var verifier = new RecordSignatureVerifier(Domain);
        var record = Record(_nodeKey, 1);
        var noKey = new byte[EcdsaSignature.Length];
        noKey[63] = 1; // s = 1: well formed, low.
        noKey[^1] = 27; // r = 0: no point.
        var signature = EcdsaSignature.FromBytes(noKey);

        Assert.False(cache.TryRecover(verifier, record, verifier.Digest(record), signature, out _));
        Assert.False(cache.TryRecover(verifier, record, verifier.Digest(record), signature, out _));
    }

    [Fact]
    public void TryRecover_ManyMoreRecordsThanTheCapacity_StaysWithinTwiceTheCapacity()
    {
        const int capacity = 8;
        var cache = new RecoveredSignerCache(capacity);
        var verifier = new RecordSignatureVerifier(Domain);
        for (ulong i = 0; i < 5 * capacity; i++)
        {
            var record = Record(_nodeKey, i);
            Assert.True(cache.TryRecover(verifier, record, verifier.Digest(record), ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey), out var signer));
            Assert.Equal(record.Node, signer);
            Assert.InRange(cache.Count, 1, 2 * capacity);
        }
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecoveredSignerCache(0));

    private static ProvenanceRecord Record(EthECKey nodeKey, ulong sequence) => new(
        Bytes32.Sha256([(byte)sequence, 1]), Bytes32.Zero, Bytes32.Sha256([2]), EvmAddress.Parse(nodeKey.GetPublicAddress()), EvmAddress.Zero,
        Bytes32.Zero, Bytes32.Sha256([3]), Bytes32.Sha256([4]), 1_700_000_000 + sequence, Bytes32.Zero, sequence);
}
