using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>
/// The opaque cursors of audit pages: the last id of the previous page, tagged with what it pages
/// over so that a batches cursor is refused on records. Opaque so that clients never build one
/// and the encoding may change (the tag carries a version).
/// </summary>
internal static class AuditCursor
{
    /// <summary>Records pages (keyset on <c>StoredRecord.Id</c>).</summary>
    public const string Records = "r1";

    /// <summary>Settlements pages (keyset on <c>ChannelSettlement.Id</c>).</summary>
    public const string Settlements = "s1";

    /// <summary>Batches pages (keyset on <c>AnchorBatch.Id</c>).</summary>
    public const string Batches = "b1";

    /// <summary>The cursor that resumes after <paramref name="lastId"/>.</summary>
    public static string Encode(string kind, long lastId) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{kind}:{lastId}")));

    /// <summary>The id after which the page starts; null without a cursor.</summary>
    /// <exception cref="AuditQueryException">When the cursor was not made by <see cref="Encode"/> for this kind.</exception>
    public static long? Decode(string kind, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        const string Expected = "Pass back the nextCursor of a previous page unchanged.";
        byte[] bytes;
        try
        {
            bytes = cursor.Length <= 64 ? Base64Url.DecodeFromChars(cursor) : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new AuditQueryException("cursor", $"The cursor is malformed. {Expected}");
        }

        var text = Encoding.ASCII.GetString(bytes);
        var prefix = kind + ":";
        if (!text.StartsWith(prefix, StringComparison.Ordinal)
            || !long.TryParse(text.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            throw new AuditQueryException("cursor", $"The cursor does not belong to this listing. {Expected}");
        }

        return id;
    }
}
