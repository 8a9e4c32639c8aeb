using System.Text.RegularExpressions;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Credentials.Manifests;

/// <summary>
/// The C2PA manifest label (<c>urn:c2pa:{uuid}</c>) of the manifest an edge node writes for one
/// provenance record. The UUID is the record digest's first 16 bytes with the version set to 8
/// (RFC 9562's custom layout) and the RFC variant bits: the node that embeds the manifest and the
/// ledger that resolves it (the soft-binding API's <c>manifestId</c>) derive the same label from the
/// digest, with no table between them.
/// </summary>
/// <remarks>A label names a manifest; it proves nothing. Whoever resolves one still checks the
/// manifest's signature and the record it names.</remarks>
public static partial class RecordManifestLabel
{
    /// <summary>The prefix every C2PA manifest label starts with.</summary>
    public const string Prefix = "urn:c2pa:";

    /// <summary>The label of the manifest for the record with digest <paramref name="recordDigest"/>.</summary>
    public static string For(Bytes32 recordDigest)
    {
        Span<byte> uuid = stackalloc byte[16];
        recordDigest.AsSpan()[..16].CopyTo(uuid);
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // variant 10xx
        return Prefix + new Guid(uuid, bigEndian: true).ToString("D");
    }

    /// <summary>
    /// Reads the UUID of a label written by <see cref="For"/> (or any <c>urn:c2pa:{uuid}</c> label, with
    /// the optional claim-generator and version suffixes C2PA 2 allows), lower-cased. Null when
    /// <paramref name="label"/> is no C2PA manifest label.
    /// </summary>
    public static Guid? TryParse(string? label)
    {
        if (label is null)
        {
            return null;
        }

        var match = LabelPattern().Match(label);
        return match.Success ? Guid.ParseExact(match.Groups["uuid"].Value, "D") : null;
    }

    /// <summary>True when <paramref name="label"/> is the label of the record with <paramref name="recordDigest"/>.</summary>
    public static bool Names(string? label, Bytes32 recordDigest) =>
        TryParse(label) is { } uuid && string.Equals(Prefix + uuid.ToString("D"), For(recordDigest), StringComparison.Ordinal);

    [GeneratedRegex("^urn:c2pa:(?<uuid>[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(:[^:]*)?(:[^:]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
