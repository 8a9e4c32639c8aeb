using System.Numerics;
using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using NBitcoin.Secp256k1;

namespace MobileAigc.Provenance.Core.Eip712;

/// <summary>
/// What the fast signature checks (<c>RecordSignatureVerifier</c>,
/// <c>PaymentVoucherVerifier</c>) share: the EIP-712 domain separator and digest written directly
/// into spans, and recovery of the signer's address with the native libsecp256k1 or its C# port.
/// Each verifier encodes only its own struct.
/// </summary>
internal static class FastTypedData
{
    /// <summary>An ABI word.</summary>
    public const int WordLength = 32;

    /// <summary>An address, right-aligned in its word.</summary>
    public const int AddressLength = 20;

    private static readonly byte[] DomainTypeHash =
        Keccak256.Hash("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"u8);

    /// <summary>keccak256 of a type string.</summary>
    public static byte[] TypeHash(string typeString) => Keccak256.Hash(Encoding.ASCII.GetBytes(typeString));

    /// <summary>The domain separator, as OpenZeppelin's <c>_domainSeparatorV4</c> returns it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When the chain id is negative or does not fit in a uint256.</exception>
    public static byte[] DomainSeparator(ContractDomain domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.ChainId.Sign < 0 || domain.ChainId.GetBitLength() > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(domain), domain.ChainId, "The chain id must be a uint256.");
        }

        Span<byte> encoded = stackalloc byte[5 * WordLength];
        DomainTypeHash.CopyTo(encoded);
        Keccak256.Hash(Encoding.UTF8.GetBytes(domain.Name), encoded[WordLength..]);
        Keccak256.Hash(Encoding.UTF8.GetBytes(domain.Version), encoded[(2 * WordLength)..]);
        WriteUInt256(domain.ChainId, encoded.Slice(3 * WordLength, WordLength));
        WriteAddress(domain.VerifyingContract, encoded.Slice(4 * WordLength, WordLength));
        return Keccak256.Hash(encoded);
    }

    /// <summary>keccak256(0x19 0x01 ‖ domainSeparator ‖ keccak256(structEncoding)): the digest a signer signs.</summary>
    public static void WriteDigest(ReadOnlySpan<byte> domainSeparator, ReadOnlySpan<byte> structEncoding, Span<byte> digest)
    {
        Span<byte> message = stackalloc byte[2 + (2 * WordLength)];
        message[0] = 0x19;
        message[1] = 0x01;
        domainSeparator.CopyTo(message[2..]);
        Keccak256.Hash(structEncoding, message[(2 + WordLength)..]);
        Keccak256.Hash(message, digest);
    }

    /// <summary>
    /// Recovers the signer's 20-byte address of <paramref name="digest"/>; false when the signature
    /// recovers to no public key (r zero, not below the curve order, or not the x of a curve point),
    /// as the <c>ecrecover</c> precompile refuses them.
    /// </summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> digest, EcdsaSignature signature, bool native, Span<byte> address)
    {
        ArgumentNullException.ThrowIfNull(signature);
        // EcdsaSignature has already enforced v in {27, 28} and a low, non-zero s.
        var bytes = signature.AsSpan();
        Span<byte> uncompressed = stackalloc byte[65];
        if (!(native
                ? NativeSecp256k1Recovery.TryRecover(bytes[..64], bytes[64] - 27, digest, uncompressed)
                : TryRecoverWithPort(bytes[..64], bytes[64] - 27, digest, uncompressed)))
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[WordLength];
        Keccak256.Hash(uncompressed[1..], hash);
        hash[(WordLength - AddressLength)..].CopyTo(address);
        return true;
    }

    /// <summary>The signer's address of <paramref name="digest"/>; false as <see cref="TryRecoverAddress"/>.</summary>
    public static bool TryRecoverSigner(ReadOnlySpan<byte> digest, EcdsaSignature signature, bool native, out EvmAddress signer)
    {
        signer = default;
        Span<byte> address = stackalloc byte[AddressLength];
        if (!TryRecoverAddress(digest, signature, native, address))
        {
            return false;
        }

        signer = EvmAddress.FromBytes(address);
        return true;
    }

    /// <summary>
    /// True when <paramref name="signature"/> over <paramref name="digest"/> recovers to <paramref name="signer"/> (never to
    /// the zero address); compares bytes, so no checksummed address is built for the recovered key.
    /// </summary>
    public static bool IsSignedBy(ReadOnlySpan<byte> digest, EcdsaSignature signature, bool native, EvmAddress signer)
    {
        Span<byte> recovered = stackalloc byte[AddressLength];
        if (signer.IsZero || !TryRecoverAddress(digest, signature, native, recovered))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[AddressLength];
        WriteAddressBytes(signer, expected);
        return recovered.SequenceEqual(expected);
    }

    /// <summary>A uint256, big-endian in its word.</summary>
    public static void WriteUInt256(BigInteger value, Span<byte> word)
    {
        word.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(word[(WordLength - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>An address is a uint160: right-aligned in its word, the word's first 12 bytes zero.</summary>
    public static void WriteAddress(EvmAddress address, Span<byte> word)
    {
        word[..(WordLength - AddressLength)].Clear();
        WriteAddressBytes(address, word[(WordLength - AddressLength)..]);
    }

    /// <summary>The address's 20 bytes; decoding its checksummed text into the span avoids <see cref="EvmAddress.ToBytes"/>' array.</summary>
    public static void WriteAddressBytes(EvmAddress address, Span<byte> destination) =>
        Convert.FromHexString(address.ToString().AsSpan(2), destination, out _, out _);

    private static bool TryRecoverWithPort(ReadOnlySpan<byte> compact, int recoveryId, ReadOnlySpan<byte> digest, Span<byte> uncompressed)
    {
        if (!SecpRecoverableECDSASignature.TryCreateFromCompact(compact, recoveryId, out var recoverable)
            || !ECPubKey.TryRecover(Context.Instance, recoverable, digest, out var publicKey))
        {
            return false;
        }

        publicKey.WriteToSpan(compressed: false, uncompressed, out _);
        return true;
    }
}
