using System.Buffers.Binary;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Payments;

/// <summary>
/// The fast path for checking creators' signatures on payment vouchers in one <c>PaymentChannels</c>
/// domain, for an edge node that checks one voucher per paid request: the EIP-712 digest is written
/// directly (Nethereum's encoder reflects over the message type on every call) and the signer is
/// recovered with the native libsecp256k1 (or its C# port where the native library cannot load).
/// <see cref="Digest"/> equals <see cref="PaymentVoucherTypedData.Digest"/> and
/// <see cref="TryRecoverSigner"/> equals <see cref="PaymentVoucherTypedData.RecoverSigner"/> (checked in tests).
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe: build one per <see cref="ContractDomain"/> and share it.
/// A voucher signed in another domain (another chain, another deployment) hashes to another
/// digest and so recovers to another address: it fails <see cref="IsSignedBy"/> like a forgery.
/// </remarks>
public sealed class PaymentVoucherVerifier
{
    private const int WordLength = FastTypedData.WordLength;
    private const int AddressLength = FastTypedData.AddressLength;

    // typeHash, channelId, cumulativeAmount, nonce: one 32-byte word each.
    private const int StructEncodingLength = 4 * WordLength;

    private static readonly byte[] TypeHashBytes = FastTypedData.TypeHash(PaymentVoucherTypedData.TypeString);

    private readonly byte[] _domainSeparator;

    /// <summary>
    /// Computes the domain separator of <paramref name="domain"/> once for every later check, and
    /// recovers with the native libsecp256k1 when it loads here (see <see cref="UsesNativeRecovery"/>).
    /// </summary>
    /// <param name="domain">The <c>PaymentChannels</c> domain the creators sign in.</param>
    /// <exception cref="ArgumentOutOfRangeException">When the chain id is negative or does not fit in a uint256.</exception>
    public PaymentVoucherVerifier(ContractDomain domain)
        : this(domain, preferNativeRecovery: true)
    {
    }

    /// <summary>Computes the domain separator of <paramref name="domain"/> once for every later check.</summary>
    /// <param name="domain">The <c>PaymentChannels</c> domain the creators sign in.</param>
    /// <param name="preferNativeRecovery">
    /// True: the native libsecp256k1 when it loads here, else the C# port. False: always the C# port
    /// (tests and benchmarks compare the two).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">When the chain id is negative or does not fit in a uint256.</exception>
    public PaymentVoucherVerifier(ContractDomain domain, bool preferNativeRecovery)
    {
        _domainSeparator = FastTypedData.DomainSeparator(domain);
        Domain = domain;
        UsesNativeRecovery = preferNativeRecovery && NativeSecp256k1Recovery.IsAvailable;
    }

    /// <summary>The domain every digest and check of this instance is bound to.</summary>
    public ContractDomain Domain { get; }

    /// <summary>True when signers are recovered with the native libsecp256k1; false when with the C# port.</summary>
    public bool UsesNativeRecovery { get; }

    /// <summary>The voucher's EIP-712 digest in <see cref="Domain"/>; equal to <see cref="PaymentVoucherTypedData.Digest"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the amount is negative or does not fit in a uint256.</exception>
    public Bytes32 Digest(PaymentVoucher voucher)
    {
        Span<byte> digest = stackalloc byte[WordLength];
        WriteDigest(voucher, digest);
        return Bytes32.FromBytes(digest);
    }

    /// <summary>
    /// Recovers the address whose key produced <paramref name="signature"/> over the voucher; false
    /// when the signature recovers to no public key (r zero, not below the curve order, or not the x
    /// of a curve point).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the amount is negative or does not fit in a uint256.</exception>
    public bool TryRecoverSigner(PaymentVoucher voucher, EcdsaSignature signature, out EvmAddress signer)
    {
        signer = default;
        Span<byte> address = stackalloc byte[AddressLength];
        if (!TryRecoverAddress(voucher, signature, address))
        {
            return false;
        }

        signer = EvmAddress.FromBytes(address);
        return true;
    }

    /// <summary>
    /// True when <paramref name="signature"/> is <paramref name="creator"/>'s over this voucher in
    /// <see cref="Domain"/>; false for another signer, a changed field, another domain or a signature
    /// that recovers to no key. Compares raw address bytes: no checksum text is computed on this path.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When the amount is negative or does not fit in a uint256.</exception>
    public bool IsSignedBy(PaymentVoucher voucher, EcdsaSignature signature, ReadOnlySpan<byte> creator)
    {
        Span<byte> recovered = stackalloc byte[AddressLength];
        return creator.Length == AddressLength
            && TryRecoverAddress(voucher, signature, recovered)
            && recovered.SequenceEqual(creator);
    }

    private bool TryRecoverAddress(PaymentVoucher voucher, EcdsaSignature signature, Span<byte> address)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Span<byte> digest = stackalloc byte[WordLength];
        WriteDigest(voucher, digest);
        return FastTypedData.TryRecoverAddress(digest, signature, UsesNativeRecovery, address);
    }

    private void WriteDigest(PaymentVoucher voucher, Span<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(voucher);
        if (voucher.CumulativeAmount.Sign < 0 || voucher.CumulativeAmount.GetBitLength() > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(voucher), voucher.CumulativeAmount, "The cumulative amount must be a uint256.");
        }

        Span<byte> encoded = stackalloc byte[StructEncodingLength];
        encoded.Clear();
        TypeHashBytes.CopyTo(encoded);
        voucher.ChannelId.AsSpan().CopyTo(encoded[WordLength..]);
        FastTypedData.WriteUInt256(voucher.CumulativeAmount, encoded.Slice(2 * WordLength, WordLength));
        BinaryPrimitives.WriteUInt64BigEndian(encoded.Slice(StructEncodingLength - sizeof(ulong), sizeof(ulong)), voucher.Nonce);

        FastTypedData.WriteDigest(_domainSeparator, encoded, digest);
    }
}
