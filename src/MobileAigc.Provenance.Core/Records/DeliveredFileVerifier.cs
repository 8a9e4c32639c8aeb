using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// The fast path for checking nodes' <see cref="SignedDeliveredFile"/> statements in one ledger domain, for
/// the ledger's ingest, which checks one per credentialed record: the EIP-712 digest is written directly
/// (Nethereum's encoder reflects over the message type on every call) and the signer is recovered with the
/// native libsecp256k1 (or its C# port where the native library cannot load). <see cref="Digest"/> equals
/// <see cref="DeliveredFileTypedData.Digest"/> and <see cref="TryRecoverSigner"/> equals
/// <see cref="DeliveredFileTypedData.RecoverSigner"/> (checked in tests).
/// </summary>
/// <remarks>
/// Instances are immutable and thread-safe: build one per <see cref="ContractDomain"/> and share it.
/// A statement signed in another domain hashes to another digest and so recovers to another address: it
/// fails <see cref="IsSignedBy"/> like a forgery.
/// </remarks>
public sealed class DeliveredFileVerifier
{
    private const int WordLength = FastTypedData.WordLength;

    // typeHash, record, fileHash: one 32-byte word each.
    private const int StructEncodingLength = 3 * WordLength;

    private static readonly byte[] TypeHashBytes = FastTypedData.TypeHash(DeliveredFileTypedData.TypeString);

    private readonly byte[] _domainSeparator;

    /// <summary>Computes the domain separator of <paramref name="domain"/> once for every later check.</summary>
    /// <param name="domain">The ledger's EIP-712 domain; the one the nodes sign their records and statements in.</param>
    /// <param name="preferNativeRecovery">
    /// True (the default): the native libsecp256k1 when it loads here, else the C# port. False: always the
    /// C# port (tests compare the two).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">When the chain id is negative or does not fit in a uint256.</exception>
    public DeliveredFileVerifier(ContractDomain domain, bool preferNativeRecovery = true)
    {
        _domainSeparator = FastTypedData.DomainSeparator(domain);
        Domain = domain;
        UsesNativeRecovery = preferNativeRecovery && NativeSecp256k1Recovery.IsAvailable;
    }

    /// <summary>The domain every digest and check of this instance is bound to.</summary>
    public ContractDomain Domain { get; }

    /// <summary>True when signers are recovered with the native libsecp256k1; false when with the C# port.</summary>
    public bool UsesNativeRecovery { get; }

    /// <summary>The statement's EIP-712 digest in <see cref="Domain"/>; equal to <see cref="DeliveredFileTypedData.Digest"/>.</summary>
    public Bytes32 Digest(DeliveredFile file)
    {
        Span<byte> digest = stackalloc byte[WordLength];
        WriteDigest(file, digest);
        return Bytes32.FromBytes(digest);
    }

    /// <summary>
    /// Recovers the address whose key signed the statement; false when the signature recovers to no public
    /// key (r zero, not below the curve order, or not the x of a curve point).
    /// </summary>
    public bool TryRecoverSigner(SignedDeliveredFile signed, out EvmAddress signer)
    {
        ArgumentNullException.ThrowIfNull(signed);
        Span<byte> digest = stackalloc byte[WordLength];
        WriteDigest(signed.File, digest);
        return FastTypedData.TryRecoverSigner(digest, signed.Signature, UsesNativeRecovery, out signer);
    }

    /// <summary>
    /// True when the statement is signed by <paramref name="node"/> in <see cref="Domain"/>; false for another
    /// signer, a changed field, another domain or a signature that recovers to no key.
    /// </summary>
    public bool IsSignedBy(SignedDeliveredFile signed, EvmAddress node)
    {
        ArgumentNullException.ThrowIfNull(signed);
        Span<byte> digest = stackalloc byte[WordLength];
        WriteDigest(signed.File, digest);
        return FastTypedData.IsSignedBy(digest, signed.Signature, UsesNativeRecovery, node);
    }

    private void WriteDigest(DeliveredFile file, Span<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(file);
        Span<byte> encoded = stackalloc byte[StructEncodingLength];
        TypeHashBytes.CopyTo(encoded);
        file.Record.AsSpan().CopyTo(encoded[WordLength..]);
        file.FileHash.AsSpan().CopyTo(encoded[(2 * WordLength)..]);
        FastTypedData.WriteDigest(_domainSeparator, encoded, digest);
    }
}
