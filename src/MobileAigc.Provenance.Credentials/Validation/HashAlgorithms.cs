using System.Security.Cryptography;

namespace MobileAigc.Provenance.Credentials.Validation;

/// <summary>The C2PA hash algorithm names (<c>sha256</c>, <c>sha384</c>, <c>sha512</c>).</summary>
internal static class HashAlgorithms
{
    public static IncrementalHash? Create(string? name) => name switch
    {
        null or "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => null,
    };

    public static byte[]? Hash(string? name, ReadOnlySpan<byte> data)
    {
        using var hash = Create(name);
        if (hash is null)
        {
            return null;
        }

        hash.AppendData(data);
        return hash.GetHashAndReset();
    }
}
