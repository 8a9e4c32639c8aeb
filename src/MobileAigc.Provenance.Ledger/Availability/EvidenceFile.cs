using System.Runtime.CompilerServices;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>One entry of a copy of evidence: the evidence, or why the entry holds none.</summary>
/// <param name="Source">The file and entry it came from (<c>path#index</c>), for reports.</param>
/// <param name="Evidence">The evidence; null when the entry holds none.</param>
/// <param name="Problem">Why the entry holds no usable evidence (an unanchored record in an export, an entry that does not parse).</param>
public sealed record EvidenceEntry(string Source, RecordEvidence? Evidence, string? Problem);

/// <summary>A copy of evidence on disk cannot be read at all (missing, not a JSON array).</summary>
public sealed class EvidenceFileException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads copies of records' evidence, as a JSON array, entry by entry (memory flat whatever the size): the ledger's
/// JSON export (<c>GET api/audit/export?format=json</c>, each anchored record with its <c>evidence</c>, also filtered to
/// one node) and a plain array of <see cref="RecordEvidence"/> objects alike.
/// </summary>
public static class EvidenceFile
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The entries of the file at <paramref name="path"/>, in file order.</summary>
    /// <exception cref="EvidenceFileException">When the file is missing or is not a JSON array (thrown while enumerating).</exception>
    public static async IAsyncEnumerable<EvidenceEntry> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new EvidenceFileException($"No evidence file at '{Path.GetFullPath(path)}'.");
        }

        await using var stream = File.OpenRead(path);
        var elements = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, Json, cancellationToken);
        var index = 0;
        var enumerator = elements.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                JsonElement element;
                try
                {
                    if (!await enumerator.MoveNextAsync())
                    {
                        break;
                    }

                    element = enumerator.Current;
                }
                catch (JsonException e)
                {
                    throw new EvidenceFileException($"'{path}' is not a JSON array of records' evidence: {e.Message}", e);
                }

                yield return Entry($"{path}#{index++}", element);
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    /// <summary>One array element: an export's record (its <c>evidence</c>) or a node's evidence object.</summary>
    internal static EvidenceEntry Entry(string source, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new EvidenceEntry(source, null, "the entry is not a JSON object");
        }

        var evidence = element;
        if (element.TryGetProperty("evidence", out var nested))
        {
            evidence = nested;
        }
        else if (!element.TryGetProperty("signedRecord", out _))
        {
            var state = element.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            return new EvidenceEntry(source, null, state is null
                ? "the entry carries no evidence"
                : $"the record is {state}: an export carries evidence only for records whose batch is anchored");
        }

        try
        {
            return evidence.Deserialize<RecordEvidence>(Json) is { SignedRecord.Record: not null, Inclusion: not null, Deployment: not null } parsed
                ? new EvidenceEntry(source, parsed, null)
                : new EvidenceEntry(source, null, "the evidence lacks its record, proof or deployment");
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            return new EvidenceEntry(source, null, $"the evidence does not parse: {e.Message}");
        }
    }
}
