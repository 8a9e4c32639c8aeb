using System.Globalization;
using System.Numerics;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Core.Tests.Records;

/// <summary>
/// Every check runs on both recovery paths (the native libsecp256k1 and its C# port), each held to
/// Nethereum's encoder and BouncyCastle recovery.
/// </summary>
public abstract class RecordSignatureVerifierTests(bool preferNativeRecovery)
{
    private const int RandomCases = 300;

    private static readonly ContractDomain Domain =
        ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));

    private static readonly BigInteger FieldPrime = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", NumberStyles.HexNumber);

    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber);

    private readonly RecordSignatureVerifier _verifier = new(Domain, preferNativeRecovery);
    private readonly EthECKey _nodeKey = EthECKey.GenerateKey();

    [Fact]
    public void Digest_RandomRecords_EqualsNethereumDigest()
    {
        var random = new Random(20261130);
        for (var i = 0; i < RandomCases; i++)
        {
            var record = RandomRecord(random, RandomAddress(random));

            Assert.Equal(ProvenanceRecordTypedData.Digest(record, Domain), _verifier.Digest(record));
        }
    }

    [Fact]
    public void Digest_OtherDomains_EqualsNethereumDigest()
    {
        var random = new Random(7);
        var contract = RandomAddress(random);
        ContractDomain[] domains =
        [
            ContractDomain.ForProvenanceLedger(1, contract),
            ContractDomain.ForProvenanceLedger(0, contract),
            ContractDomain.ForProvenanceLedger(BigInteger.Pow(2, 256) - 1, contract),
            ContractDomain.ForPaymentChannels(8453, contract),
            new ContractDomain("Ünïcode name", "2.0", 10, EvmAddress.Zero),
        ];

        foreach (var domain in domains)
        {
            var record = RandomRecord(random, RandomAddress(random));

            Assert.Equal(ProvenanceRecordTypedData.Digest(record, domain), new RecordSignatureVerifier(domain, preferNativeRecovery).Digest(record));
        }
    }

    [Fact]
    public void RecoverSigner_RandomRecordsAndKeys_EqualsNethereumRecovery()
    {
        var random = new Random(1130);
        for (var i = 0; i < RandomCases; i++)
        {
            var key = RandomKey(random);
            var record = RandomRecord(random, TestRecords.AddressOf(key));
            var signature = ProvenanceRecordTypedData.Sign(record, Domain, key);

            var recovered = _verifier.RecoverSigner(record, signature);

            Assert.Equal(ProvenanceRecordTypedData.RecoverSigner(record, Domain, signature), recovered);
            Assert.Equal(record.Node, recovered);
            Assert.True(_verifier.IsSignedByNode(record, signature));
            Assert.True(_verifier.IsSignedByNode(new SignedProvenanceRecord(record, signature)));
            Assert.True(_verifier.IsSignedByNode(record, signature, out var digest));
            Assert.Equal(ProvenanceRecordTypedData.Digest(record, Domain), digest);
        }
    }

    [Fact]
    public void RecoverSigner_SignatureOverAnotherRecord_EqualsNethereumRecovery()
    {
        // A signature over other data still recovers to some (unrelated) key; both paths must agree on it.
        var random = new Random(42);
        for (var i = 0; i < 25; i++)
        {
            var key = RandomKey(random);
            var record = RandomRecord(random, TestRecords.AddressOf(key));
            var signature = ProvenanceRecordTypedData.Sign(RandomRecord(random, record.Node), Domain, key);

            Assert.Equal(ProvenanceRecordTypedData.RecoverSigner(record, Domain, signature), _verifier.RecoverSigner(record, signature));
        }
    }

    [Fact]
    public void IsSignedByNode_SignedByAnotherKey_ReturnsFalse()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var stranger = EthECKey.GenerateKey();

        var signature = ProvenanceRecordTypedData.Sign(record, Domain, stranger);

        Assert.False(_verifier.IsSignedByNode(record, signature));
        Assert.False(_verifier.IsSignedByNode(record, signature, out var digest));
        Assert.Equal(_verifier.Digest(record), digest);
        Assert.Equal(TestRecords.AddressOf(stranger), _verifier.RecoverSigner(record, signature));
    }

    [Theory]
    [InlineData(nameof(ProvenanceRecord.ContentHash))]
    [InlineData(nameof(ProvenanceRecord.PerceptualHash))]
    [InlineData(nameof(ProvenanceRecord.ModelHash))]
    [InlineData(nameof(ProvenanceRecord.Node))]
    [InlineData(nameof(ProvenanceRecord.Creator))]
    [InlineData(nameof(ProvenanceRecord.CreatorCommitment))]
    [InlineData(nameof(ProvenanceRecord.PromptCommitment))]
    [InlineData(nameof(ProvenanceRecord.ParametersHash))]
    [InlineData(nameof(ProvenanceRecord.Timestamp))]
    [InlineData(nameof(ProvenanceRecord.WatermarkId))]
    [InlineData(nameof(ProvenanceRecord.Sequence))]
    public void IsSignedByNode_FieldTampered_ReturnsFalse(string field)
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey);
        Assert.True(_verifier.IsSignedByNode(record, signature));

        var tampered = Tamper(record, field);

        Assert.NotEqual(_verifier.Digest(record), _verifier.Digest(tampered));
        Assert.False(_verifier.IsSignedByNode(tampered, signature));
        Assert.Equal(ProvenanceRecordTypedData.Digest(tampered, Domain), _verifier.Digest(tampered));
    }

    [Fact]
    public void IsSignedByNode_SignedInAnotherDomain_ReturnsFalse()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        ContractDomain[] others =
        [
            Domain with { ChainId = 1 },
            Domain with { VerifyingContract = TestRecords.AddressOf(EthECKey.GenerateKey()) },
            Domain with { Name = ContractDomain.PaymentChannelsName },
            Domain with { Version = "2" },
        ];

        foreach (var other in others)
        {
            var signature = ProvenanceRecordTypedData.Sign(record, other, _nodeKey);

            Assert.False(_verifier.IsSignedByNode(record, signature));
            Assert.True(new RecordSignatureVerifier(other, preferNativeRecovery).IsSignedByNode(record, signature));
        }
    }

    [Fact]
    public void TryRecoverSigner_RIsZero_ReturnsFalse()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = WithR(ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey), BigInteger.Zero);

        AssertRecoversToNoKey(record, signature);
    }

    [Fact]
    public void TryRecoverSigner_RNotTheXOfACurvePoint_ReturnsFalse()
    {
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var r = SmallestXOffTheCurve();
        var signature = WithR(ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey), r);

        AssertRecoversToNoKey(record, signature);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void TryRecoverSigner_RNotBelowTheCurveOrder_ReturnsFalse(int offset)
    {
        // The ecrecover precompile behind ECDSA.recover refuses r >= n, so the ledger must too.
        var record = TestRecords.Random(TestRecords.AddressOf(_nodeKey));
        var signature = WithR(ProvenanceRecordTypedData.Sign(record, Domain, _nodeKey), CurveOrder + offset);

        AssertRecoversToNoKey(record, signature);
    }

    [Fact]
    public void IsSignedByNode_ManyThreadsAtOnce_AgreesWithOneThread()
    {
        var keys = Enumerable.Range(0, 8).Select(_ => EthECKey.GenerateKey()).ToArray();
        var signed = Enumerable.Range(0, 64)
            .Select(i =>
            {
                var key = keys[i % keys.Length];
                var record = TestRecords.Random(TestRecords.AddressOf(key), (ulong)i);
                // Every third record is tampered after signing, so that both verdicts occur.
                var signature = ProvenanceRecordTypedData.Sign(record, Domain, key);
                return new SignedProvenanceRecord(i % 3 == 0 ? record with { Sequence = 1_000 } : record, signature);
            })
            .ToArray();
        var expected = signed.Select(_verifier.IsSignedByNode).ToArray();

        var actual = new bool[signed.Length * 8];
        Parallel.For(0, actual.Length, i => actual[i] = _verifier.IsSignedByNode(signed[i % signed.Length]));

        Assert.Equal(Enumerable.Range(0, actual.Length).Select(i => expected[i % signed.Length]), actual);
        Assert.Contains(true, expected);
        Assert.Contains(false, expected);
    }

    [Fact]
    public void Constructor_NegativeChainId_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RecordSignatureVerifier(Domain with { ChainId = -1 }));
    }

    [Fact]
    public void TypeHash_IsKeccakOfTheTypeString()
    {
        var expected = Nethereum.Util.Sha3Keccack.Current.CalculateHash(
            System.Text.Encoding.ASCII.GetBytes(ProvenanceRecordTypedData.TypeString));

        Assert.Equal(Bytes32.FromBytes(expected), RecordSignatureVerifier.TypeHash);
    }

    private void AssertRecoversToNoKey(ProvenanceRecord record, EcdsaSignature signature)
    {
        Assert.False(_verifier.TryRecoverSigner(record, signature, out var signer));
        Assert.Equal(EvmAddress.Zero, signer);
        Assert.False(_verifier.IsSignedByNode(record, signature));
        Assert.False(_verifier.IsSignedByNode(record, signature, out var digest));
        Assert.Equal(_verifier.Digest(record), digest);
        Assert.Throws<InvalidSignatureException>(() => _verifier.RecoverSigner(record, signature));
    }

    private static EcdsaSignature WithR(EcdsaSignature signature, BigInteger r)
    {
        var bytes = signature.ToArray();
        bytes.AsSpan(0, 32).Clear();
        var length = r.GetByteCount(isUnsigned: true);
        r.TryWriteBytes(bytes.AsSpan(32 - length, length), out _, isUnsigned: true, isBigEndian: true);
        return EcdsaSignature.FromBytes(bytes);
    }

    // x is on secp256k1 (y² = x³ + 7 mod p) exactly when x³ + 7 is a quadratic residue: Euler's criterion.
    private static BigInteger SmallestXOffTheCurve()
    {
        for (BigInteger x = 1; ; x++)
        {
            var rhs = (BigInteger.Pow(x, 3) + 7) % FieldPrime;
            if (BigInteger.ModPow(rhs, (FieldPrime - 1) / 2, FieldPrime) == FieldPrime - 1)
            {
                return x;
            }
        }
    }

    private static ProvenanceRecord Tamper(ProvenanceRecord record, string field) => field switch
    {
        nameof(ProvenanceRecord.ContentHash) => record with { ContentHash = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.PerceptualHash) => record with { PerceptualHash = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.ModelHash) => record with { ModelHash = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.Node) => record with { Node = TestRecords.AddressOf(EthECKey.GenerateKey()) },
        nameof(ProvenanceRecord.Creator) => record with { Creator = TestRecords.AddressOf(EthECKey.GenerateKey()) },
        nameof(ProvenanceRecord.CreatorCommitment) => record with { CreatorCommitment = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.PromptCommitment) => record with { PromptCommitment = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.ParametersHash) => record with { ParametersHash = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.Timestamp) => record with { Timestamp = record.Timestamp + 1 },
        nameof(ProvenanceRecord.WatermarkId) => record with { WatermarkId = TestRecords.RandomBytes32() },
        nameof(ProvenanceRecord.Sequence) => record with { Sequence = record.Sequence + 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a record field."),
    };

    // Seeded so that a failing case can be replayed; zero values and extreme integers are drawn on purpose.
    private static ProvenanceRecord RandomRecord(Random random, EvmAddress node) => new(
        ContentHash: RandomBytes32(random),
        PerceptualHash: RandomBytes32(random),
        ModelHash: RandomBytes32(random),
        Node: node,
        Creator: random.Next(4) == 0 ? EvmAddress.Zero : RandomAddress(random),
        CreatorCommitment: RandomBytes32(random),
        PromptCommitment: RandomBytes32(random),
        ParametersHash: RandomBytes32(random),
        Timestamp: RandomUInt64(random),
        WatermarkId: RandomBytes32(random),
        Sequence: RandomUInt64(random),
        Version: (ushort)random.Next(ushort.MaxValue + 1))
    {
        Extensions = RandomBytes32(random),
    };

    private static Bytes32 RandomBytes32(Random random)
    {
        if (random.Next(8) == 0)
        {
            return Bytes32.Zero;
        }

        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Bytes32.FromBytes(bytes);
    }

    private static ulong RandomUInt64(Random random) => random.Next(8) switch
    {
        0 => 0,
        1 => ulong.MaxValue,
        2 => (ulong)random.Next(),
        _ => (ulong)random.NextInt64() * 2 + (ulong)random.Next(2),
    };

    private static EvmAddress RandomAddress(Random random)
    {
        var bytes = new byte[20];
        random.NextBytes(bytes);
        return EvmAddress.Parse("0x" + Convert.ToHexStringLower(bytes));
    }

    private static EthECKey RandomKey(Random random)
    {
        // A 32-byte draw is a valid private key (non-zero, below n) except with probability ~2^-128.
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return new EthECKey(bytes, true);
    }
}

/// <summary>The checks on libsecp256k1 itself, which the package bundles for this platform.</summary>
public sealed class NativeRecordSignatureVerifierTests() : RecordSignatureVerifierTests(preferNativeRecovery: true)
{
    [Fact]
    public void Constructor_OnLinuxX64_UsesTheBundledNativeLibrary()
    {
        // Secp256k1.Net ships linux-x64 (and the other common) builds: falling back here would be a packaging bug.
        var verifier = new RecordSignatureVerifier(ContractDomain.ForProvenanceLedger(1, EvmAddress.Zero));

        Assert.Null(RecordSignatureVerifier.NativeRecoveryUnavailableReason);
        Assert.True(verifier.UsesNativeRecovery);
    }
}

/// <summary>The checks on the C# port <c>NBitcoin.Secp256k1</c>, the fallback where the native library cannot load.</summary>
public sealed class PortRecordSignatureVerifierTests() : RecordSignatureVerifierTests(preferNativeRecovery: false)
{
    [Fact]
    public void Constructor_NativeNotPreferred_UsesThePort()
    {
        Assert.False(new RecordSignatureVerifier(ContractDomain.ForProvenanceLedger(1, EvmAddress.Zero), preferNativeRecovery: false).UsesNativeRecovery);
    }
}
