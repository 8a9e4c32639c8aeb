using Org.BouncyCastle.Crypto.Digests;

namespace MobileAigc.Provenance.Core.Primitives;

/// <summary>
/// Keccak-256 (Ethereum's hash) on spans, without allocating: the hot paths (signature checks,
/// EIP-55 checksums) hash several times per record or voucher.
/// </summary>
internal static class Keccak256
{
    /// <summary>The hash length in bytes.</summary>
    public const int Length = 32;

    // BouncyCastle's digest keeps state, so each thread reuses its own.
    [ThreadStatic]
    private static KeccakDigest? _threadDigest;

    /// <summary>Writes the hash of <paramref name="data"/> to the first 32 bytes of <paramref name="hash"/>.</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> hash)
    {
        var digest = _threadDigest ??= new KeccakDigest(256);
        digest.Reset();
        digest.BlockUpdate(data);
        digest.DoFinal(hash);
    }

    /// <summary>The hash of <paramref name="data"/> in a new array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Length];
        Hash(data, hash);
        return hash;
    }
}
