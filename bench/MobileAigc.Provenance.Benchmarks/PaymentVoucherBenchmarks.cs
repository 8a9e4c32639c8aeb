using System.Numerics;
using BenchmarkDotNet.Attributes;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Benchmarks;

/// <summary>
/// Cost of checking one payment voucher's signature against its channel's creator, one thread: what
/// an edge node does per paid request. The fast path (<see cref="PaymentVoucherVerifier"/>: direct
/// EIP-712 encoding, native libsecp256k1 or its C# port) against the Nethereum reference
/// (<see cref="PaymentVoucherTypedData"/>). Vouchers per second per core = 1 s / the median. Each call
/// takes the next of <see cref="VoucherCount"/> distinct vouchers signed by eight creators.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PaymentVoucherBenchmarks
{
    /// <summary>The number of distinct signed vouchers cycled through.</summary>
    public const int VoucherCount = 64;

    private ContractDomain _domain = null!;
    private PaymentVoucherVerifier _verifier = null!;
    private PaymentVoucherVerifier _portVerifier = null!;
    private (PaymentVoucher Voucher, EcdsaSignature Signature, byte[] Creator, EvmAddress CreatorAddress)[] _vouchers = null!;
    private int _next;

    /// <summary>Signs <see cref="VoucherCount"/> vouchers in a <c>PaymentChannels</c> domain on a local chain.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _domain = ContractDomain.ForPaymentChannels(31337, EvmAddress.Parse("0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"));
        _verifier = new PaymentVoucherVerifier(_domain);
        _portVerifier = new PaymentVoucherVerifier(_domain, preferNativeRecovery: false);
        if (!_verifier.UsesNativeRecovery)
        {
            throw new InvalidOperationException("The native libsecp256k1 is not available.");
        }

        var random = new Random(402);
        var keys = Enumerable.Range(0, 8).Select(_ => EthECKey.GenerateKey()).ToArray();
        _vouchers = Enumerable.Range(0, VoucherCount)
            .Select(i =>
            {
                var key = keys[i % keys.Length];
                var channel = new byte[32];
                random.NextBytes(channel);
                var voucher = new PaymentVoucher(Bytes32.FromBytes(channel), BigInteger.Pow(10, 15) * (i + 1), (ulong)i + 1);
                var creator = EvmAddress.Parse(key.GetPublicAddress());
                return (voucher, PaymentVoucherTypedData.Sign(voucher, _domain, key), creator.ToBytes(), creator);
            })
            .ToArray();

        if (!_vouchers.All(v => _verifier.IsSignedBy(v.Voucher, v.Signature, v.Creator) && _portVerifier.IsSignedBy(v.Voucher, v.Signature, v.Creator)))
        {
            throw new InvalidOperationException("The fast path refused a voucher signed by its creator.");
        }
    }

    /// <summary>The EIP-712 digest only, fast path.</summary>
    [Benchmark]
    public Bytes32 DigestFast() => _verifier.Digest(Next().Voucher);

    /// <summary>The EIP-712 digest only, Nethereum's typed-data encoder.</summary>
    [Benchmark]
    public Bytes32 DigestNethereum() => PaymentVoucherTypedData.Digest(Next().Voucher, _domain);

    /// <summary>Digest, recovery and comparison with the creator: the node's check, on the native libsecp256k1.</summary>
    [Benchmark]
    public bool VerifyFast()
    {
        var v = Next();
        return _verifier.IsSignedBy(v.Voucher, v.Signature, v.Creator);
    }

    /// <summary>The same check on the C# port NBitcoin.Secp256k1, the fallback where the native library cannot load.</summary>
    [Benchmark]
    public bool VerifyFastPort()
    {
        var v = Next();
        return _portVerifier.IsSignedBy(v.Voucher, v.Signature, v.Creator);
    }

    /// <summary>Digest, recovery and comparison with the creator: the Nethereum reference path.</summary>
    [Benchmark(Baseline = true)]
    public bool VerifyNethereum()
    {
        var v = Next();
        return PaymentVoucherTypedData.RecoverSigner(v.Voucher, _domain, v.Signature) == v.CreatorAddress;
    }

    private (PaymentVoucher Voucher, EcdsaSignature Signature, byte[] Creator, EvmAddress CreatorAddress) Next()
    {
        var voucher = _vouchers[_next];
        _next = (_next + 1) % VoucherCount;
        return voucher;
    }
}
