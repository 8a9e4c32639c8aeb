using Secp256k1Net;

namespace MobileAigc.Provenance.Core.Eip712;

/// <summary>
/// Public-key recovery with libsecp256k1 itself (the native builds bundled in <c>Secp256k1.Net</c>),
/// about four times faster than the C# port. <see cref="IsAvailable"/> is false on a platform
/// the package has no build for (or when the library cannot be loaded); callers then use the port.
/// </summary>
internal static class NativeSecp256k1Recovery
{
    // Sizes of libsecp256k1's opaque structs and of an uncompressed SEC1 key.
    private const int RecoverableSignatureLength = 65;
    private const int PublicKeyLength = 64;
    private const int UncompressedLength = 65;

    private static readonly Lazy<(bool Available, string? Reason)> Probe = new(ProbeLibrary);

    // Secp256k1.Net wraps one context per instance and had thread-safety bugs around it in earlier
    // versions; a context per thread needs no lock and costs one small allocation per thread.
    [ThreadStatic]
    private static Secp256k1? _threadContext;

    /// <summary>True when the native library loaded and recovered a known key correctly.</summary>
    public static bool IsAvailable => Probe.Value.Available;

    /// <summary>Why the native library is not used; null when it is.</summary>
    public static string? UnavailableReason => Probe.Value.Reason;

    /// <summary>
    /// Recovers the uncompressed public key (0x04 ‖ x ‖ y) of a compact signature with recovery id
    /// 0 or 1; false when r or s is zero or not below the curve order, or r is the x of no curve point.
    /// </summary>
    public static bool TryRecover(ReadOnlySpan<byte> compact64, int recoveryId, ReadOnlySpan<byte> digest32, Span<byte> uncompressed65)
    {
        // libsecp256k1 aborts the process on an out-of-range argument instead of failing the call.
        if (compact64.Length != 64 || recoveryId is not (0 or 1) || digest32.Length != 32 || uncompressed65.Length != UncompressedLength)
        {
            throw new ArgumentException("Expected a 64-byte compact signature, a recovery id of 0 or 1, a 32-byte digest and a 65-byte output.");
        }

        var context = _threadContext ??= new Secp256k1();
        Span<byte> signature = stackalloc byte[RecoverableSignatureLength];
        if (!context.EcdsaRecoverableSignatureParseCompact(signature, compact64, recoveryId))
        {
            return false;
        }

        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        if (!context.EcdsaRecover(publicKey, signature, digest32))
        {
            return false;
        }

        nuint length = UncompressedLength;
        return context.EcPubkeySerialize(uncompressed65, ref length, publicKey, Secp256k1EcFlags.Uncompressed)
            && length == UncompressedLength;
    }

    // A known answer, not just a load: a library that loads but computes wrongly must not be used.
    // Private key 1 signs the digest 0x01…01; its public key is the generator G.
    private static (bool, string?) ProbeLibrary()
    {
        try
        {
            using var context = new Secp256k1();
            Span<byte> secretKey = stackalloc byte[32];
            secretKey[31] = 1;
            Span<byte> digest = stackalloc byte[32];
            digest.Fill(1);
            Span<byte> signature = stackalloc byte[RecoverableSignatureLength];
            Span<byte> compact = stackalloc byte[64];
            if (!context.EcdsaSignRecoverable(signature, digest, secretKey)
                || !context.EcdsaRecoverableSignatureSerializeCompact(compact, out var recoveryId, signature))
            {
                return (false, "libsecp256k1 loaded but could not sign the self-test digest.");
            }

            Span<byte> recovered = stackalloc byte[UncompressedLength];
            if (!TryRecover(compact, recoveryId, digest, recovered) || !recovered.SequenceEqual(GeneratorUncompressed))
            {
                return (false, "libsecp256k1 loaded but recovered the wrong key in its self-test.");
            }

            return (true, null);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                      or TypeInitializationException or PlatformNotSupportedException)
        {
            return (false, $"libsecp256k1 could not be loaded ({e.GetType().Name}: {e.Message}).");
        }
    }

    private static ReadOnlySpan<byte> GeneratorUncompressed =>
    [
        0x04,
        0x79, 0xBE, 0x66, 0x7E, 0xF9, 0xDC, 0xBB, 0xAC, 0x55, 0xA0, 0x62, 0x95, 0xCE, 0x87, 0x0B, 0x07,
        0x02, 0x9B, 0xFC, 0xDB, 0x2D, 0xCE, 0x28, 0xD9, 0x59, 0xF2, 0x81, 0x5B, 0x16, 0xF8, 0x17, 0x98,
        0x48, 0x3A, 0xDA, 0x77, 0x26, 0xA3, 0xC4, 0x65, 0x5D, 0xA4, 0xFB, 0xFC, 0x0E, 0x11, 0x08, 0xA8,
        0xFD, 0x17, 0xB4, 0x48, 0xA6, 0x85, 0x54, 0x19, 0x9C, 0x47, 0xD0, 0x8F, 0xFB, 0x10, 0xD4, 0xB8,
    ];
}
