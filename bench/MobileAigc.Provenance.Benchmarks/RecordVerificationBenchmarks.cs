using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using Nethereum.Signer;
using Nethereum.Util;
using Org.BouncyCastle.Crypto.Digests;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// Cost of checking one signed provenance record, one thread: the fast path
/// (<see cref="RecordSignatureVerifier"/>: direct EIP-712 encoding, recovery with the native
/// libsecp256k1 or with its C# port NBitcoin.Secp256k1) against the Nethereum reference (<see cref="ProvenanceRecordTypedData"/>). Records per second
/// per core = 1 s / the mean or median. Each call takes the next of <see cref="RecordCount"/>
/// distinct records, signed by eight keys, so that no result can be cached.
/// The two Keccak cases compare the hashes the digest could be built on (one 384-byte struct encoding).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class RecordVerificationBenchmarks
{
    /// <summary>The number of distinct signed records cycled through.</summary>
    public const int RecordCount = 64;

    private readonly KeccakDigest _keccak = new(256);
    private readonly byte[] _hash = new byte[32];
    private readonly byte[] _structEncoding = new byte[12 * 32];

    private ContractDomain _domain = null!;
    private RecordSignatureVerifier _verifier = null!;
    private RecordSignatureVerifier _portVerifier = null!;
    private SignedProvenanceRecord[] _records = null!;
    private int _next;

    /// <summary>Signs <see cref="RecordCount"/> random records in a ledger domain on a local chain.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _domain = ContractDomain.ForProvenanceLedger(31337, EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"));
        _verifier = new RecordSignatureVerifier(_domain);
        _portVerifier = new RecordSignatureVerifier(_domain, preferNativeRecovery: false);
        if (!_verifier.UsesNativeRecovery)
        {
            throw new InvalidOperationException($"The native libsecp256k1 is not available: {RecordSignatureVerifier.NativeRecoveryUnavailableReason}");
        }

        var random = new Random(5000);
        var keys = Enumerable.Range(0, 8).Select(_ => EthECKey.GenerateKey()).ToArray();
        _records = Enumerable.Range(0, RecordCount)
            .Select(i =>
            {
                var key = keys[i % keys.Length];
                var record = new ProvenanceRecord(
                    RandomBytes32(random), RandomBytes32(random), RandomBytes32(random),
                    EvmAddress.Parse(key.GetPublicAddress()), EvmAddress.Zero,
                    RandomBytes32(random), RandomBytes32(random), RandomBytes32(random),
                    1_790_000_000 + (ulong)i, RandomBytes32(random), (ulong)i);
                return new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, _domain, key));
            })
            .ToArray();
        random.NextBytes(_structEncoding);

        if (!_records.All(_verifier.IsSignedByNode) || !_records.All(_portVerifier.IsSignedByNode))
        {
            throw new InvalidOperationException("The fast path refused a record signed by its node.");
        }
    }

    /// <summary>The EIP-712 digest only, fast path.</summary>
    [Benchmark]
    public Bytes32 DigestFast() => _verifier.Digest(Next().Record);

    /// <summary>The EIP-712 digest only, Nethereum's typed-data encoder.</summary>
    [Benchmark]
    public Bytes32 DigestNethereum() => ProvenanceRecordTypedData.Digest(Next().Record, _domain);

    /// <summary>Digest, recovery and comparison with the record's node: the ingest check, fast path on the native libsecp256k1.</summary>
    [Benchmark]
    public bool VerifyFast() => _verifier.IsSignedByNode(Next());

    /// <summary>The same check on the C# port NBitcoin.Secp256k1, the fallback where the native library cannot load.</summary>
    [Benchmark]
    public bool VerifyFastPort() => _portVerifier.IsSignedByNode(Next());

    /// <summary>Digest, recovery and comparison with the record's node: the Nethereum reference path.</summary>
    [Benchmark(Baseline = true)]
    public bool VerifyNethereum()
    {
        var signed = Next();
        return ProvenanceRecordTypedData.IsSignedByNode(signed.Record, _domain, signed.Signature);
    }

    /// <summary>Keccak-256 of a struct encoding with Nethereum's <c>Sha3Keccack</c> (a new digest and array per call).</summary>
    [Benchmark]
    public byte[] KeccakSha3Keccack() => Sha3Keccack.Current.CalculateHash(_structEncoding);

    /// <summary>Keccak-256 of a struct encoding with one reused BouncyCastle <c>KeccakDigest</c>, as the fast path does.</summary>
    [Benchmark]
    public byte[] KeccakDigestReused()
    {
        _keccak.BlockUpdate(_structEncoding);
        _keccak.DoFinal(_hash);
        return _hash;
    }

    private SignedProvenanceRecord Next()
    {
        var signed = _records[_next];
        _next = (_next + 1) % RecordCount;
        return signed;
    }

    private static Bytes32 RandomBytes32(Random random)
    {
        var bytes = new byte[32];
        random.NextBytes(bytes);
        return Bytes32.FromBytes(bytes);
    }
}
