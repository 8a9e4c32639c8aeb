using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Util;

namespace MobileAigc.Provenance.Core.Records;

/// <summary>
/// Salted commitments: what a record holds instead of a prompt or a private creator's address.
/// Whoever knows the salt can later open the commitment (prove the prompt or the authorship);
/// nobody else learns anything from it.
/// </summary>
public static class Commitments
{
    /// <summary>The salt length: 32 random bytes.</summary>
    public const int SaltLength = 32;

    /// <summary>A fresh random salt.</summary>
    public static Bytes32 NewSalt() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(SaltLength));

    /// <summary>SHA-256(salt ‖ UTF-8 prompt).</summary>
    public static Bytes32 Prompt(string prompt, Bytes32 salt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Bytes32.Sha256([.. salt.AsSpan(), .. Encoding.UTF8.GetBytes(prompt)]);
    }

    /// <summary>keccak256(abi.encode(creator, salt)): checkable on chain as well as off.</summary>
    public static Bytes32 Creator(EvmAddress creator, Bytes32 salt)
    {
        var encoded = new byte[64];
        creator.ToBytes().CopyTo(encoded, 12);
        salt.AsSpan().CopyTo(encoded.AsSpan(32));
        return Bytes32.FromBytes(Sha3Keccack.Current.CalculateHash(encoded));
    }
}
