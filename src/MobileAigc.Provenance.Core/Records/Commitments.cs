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

    private static readonly byte[] TrainingDataTag = Encoding.UTF8.GetBytes("mobileaigc.training-data.v1");

    private static readonly byte[] TrainingPicturesTag = Encoding.UTF8.GetBytes("mobileaigc.training-pictures.v1");

    /// <summary>A fresh random salt.</summary>
    public static Bytes32 NewSalt() => Bytes32.FromBytes(RandomNumberGenerator.GetBytes(SaltLength));

    /// <summary>SHA-256(salt ‖ UTF-8 prompt).</summary>
    public static Bytes32 Prompt(string prompt, Bytes32 salt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return Bytes32.Sha256([.. salt.AsSpan(), .. Encoding.UTF8.GetBytes(prompt)]);
    }

    /// <summary>
    /// The salted commitment to a fine-tune's training examples: SHA-256 of <c>"mobileaigc.training-data.v1"</c> (UTF-8), the
    /// 32-byte salt, the number of examples as a 4-byte big-endian integer, then each example as its UTF-8 byte length
    /// (4-byte big-endian) followed by its UTF-8 bytes, in the order sent. The lengths make the encoding canonical: no two
    /// lists of texts encode alike, so a creator who kept the examples and the salt recomputes the derivative's commitment.
    /// </summary>
    /// <exception cref="ArgumentNullException">When <paramref name="examples"/> or one of them is null.</exception>
    public static Bytes32 TrainingData(Bytes32 salt, IReadOnlyList<string> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TrainingDataTag);
        hash.AppendData(salt.AsSpan());
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)examples.Count);
        hash.AppendData(length);
        foreach (var example in examples)
        {
            ArgumentNullException.ThrowIfNull(example, nameof(examples));
            var bytes = Encoding.UTF8.GetBytes(example);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Bytes32.FromBytes(hash.GetHashAndReset());
    }

    /// <summary>
    /// The salted commitment to a fine-tune's example pictures: SHA-256 of <c>"mobileaigc.training-pictures.v1"</c> (UTF-8), the
    /// 32-byte salt, the number of pictures as a 4-byte big-endian integer, then each picture's file as its byte length (4-byte
    /// big-endian) followed by its bytes, in the order sent. Canonical like <see cref="TrainingData"/>, and domain-separated
    /// from it by the tag: a list of pictures and a list of texts never commit alike, even when their bytes are the same.
    /// </summary>
    /// <exception cref="ArgumentNullException">When <paramref name="pictures"/> or one of them is null.</exception>
    public static Bytes32 TrainingPictures(Bytes32 salt, IReadOnlyList<byte[]> pictures)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(TrainingPicturesTag);
        hash.AppendData(salt.AsSpan());
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)pictures.Count);
        hash.AppendData(length);
        foreach (var picture in pictures)
        {
            ArgumentNullException.ThrowIfNull(picture, nameof(pictures));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(length, (uint)picture.Length);
            hash.AppendData(length);
            hash.AppendData(picture);
        }

        return Bytes32.FromBytes(hash.GetHashAndReset());
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
