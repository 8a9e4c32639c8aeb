using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Core.Secrets;

namespace MobileAigc.Provenance.EdgeNode.Keys;

/// <summary>
/// The secret the node's provider presents (<c>Authorization: Bearer &lt;key&gt;</c>) to read what
/// only the provider may read: earnings, channels, held records. The node creates a random one on
/// first start (32 bytes as 64 hex digits, a file of mode 0600 in its data folder) unless the
/// operator supplies the file; the key never appears in configuration, answers or logs.
/// </summary>
public sealed class ProviderKey
{
    /// <summary>The shortest key accepted from a supplied file: 32 characters.</summary>
    public const int MinLength = 32;

    private readonly byte[] _digest;

    private ProviderKey(string key) => _digest = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Reads the key in <paramref name="path"/>, or creates a random one there when the file is missing.</summary>
    /// <exception cref="FormatException">When the file holds fewer than <see cref="MinLength"/> characters.</exception>
    public static async Task<ProviderKey> LoadOrCreateAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            var created = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            await SecretFile.CreateAsync(path, Encoding.ASCII.GetBytes(created + "\n"), cancellationToken);
            return new ProviderKey(created);
        }

        var key = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        return key.Length >= MinLength
            ? new ProviderKey(key)
            : throw new FormatException($"The provider key in '{path}' has {key.Length} characters; it needs at least {MinLength}.");
    }

    /// <summary>
    /// Whether <paramref name="presented"/> is the key. Compared in constant time over digests of
    /// equal length, so neither the key's content nor its length leaks through timing.
    /// </summary>
    public bool Matches(string? presented) =>
        presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _digest);
}
