using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MobileAigc.Provenance.Core.Api;

namespace MobileAigc.Provenance.Ledger.Audit;

/// <summary>The formats of <c>GET api/audit/export</c>.</summary>
public enum RecordExportFormat
{
    /// <summary>RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break.</summary>
    Csv,

    /// <summary>One JSON array of records (the audit API's record objects, camelCase).</summary>
    Json,
}

/// <summary>
/// Writes records to a stream as they are read, flushing every <see cref="FlushEveryRows"/> rows
/// (CSV) or every 32 KiB (JSON): memory stays flat whatever the number of rows. JSON is a single array (a valid JSON document
/// for any tool, written with <see cref="Utf8JsonWriter"/>) rather than JSON Lines, because
/// auditors' tools open it as is; streaming parsers read it record by record.
/// </summary>
public static class RecordExport
{
    /// <summary>CSV rows between two flushes to the output.</summary>
    public const int FlushEveryRows = 1_000;

    /// <summary>The CSV columns, in order.</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "id", "digest", "contentHash", "perceptualHash", "modelHash", "node", "creator", "creatorCommitment",
        "promptCommitment", "parametersHash", "timestamp", "watermarkId", "nodeSequence", "signature", "receivedAt",
        "state", "batchId", "ledgerSequence", "revokedAt", "revocationReason", "pdqHash", "pdqQuality",
    ];

    // Bytes gathered before a write to the output: large enough to keep writes few, small enough to not matter.
    private const int ChunkBytes = 32 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Parses the <c>format</c> parameter: <c>csv</c> (default) or <c>json</c>, any case.</summary>
    /// <exception cref="AuditQueryException">For any other value.</exception>
    public static RecordExportFormat ParseFormat(string? format) => format?.ToUpperInvariant() switch
    {
        null or "" or "CSV" => RecordExportFormat.Csv,
        "JSON" => RecordExportFormat.Json,
        _ => throw new AuditQueryException("format", $"format must be csv or json; got '{format}'."),
    };

    /// <summary>The media type of a format.</summary>
    public static string ContentType(RecordExportFormat format) =>
        format == RecordExportFormat.Csv ? "text/csv; charset=utf-8; header=present" : "application/json; charset=utf-8";

    /// <summary>Writes the records in the format; returns how many were written.</summary>
    public static Task<long> WriteAsync(RecordExportFormat format, IAsyncEnumerable<AuditRecord> records, Stream output, CancellationToken cancellationToken = default) =>
        format == RecordExportFormat.Csv
            ? WriteCsvAsync(records, output, cancellationToken)
            : WriteJsonAsync(records, output, cancellationToken);

    /// <summary>Writes a header row then one row per record (RFC 4180); returns how many records were written.</summary>
    public static async Task<long> WriteCsvAsync(IAsyncEnumerable<AuditRecord> records, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        // No byte order mark: it would become part of the first column name for most CSV readers on Linux.
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true)
        {
            NewLine = "\r\n",
        };
        await writer.WriteLineAsync(string.Join(',', CsvColumns));
        var line = new StringBuilder(1_024);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            line.Clear();
            AppendCsvRow(line, record);
            await writer.WriteLineAsync(line, cancellationToken);
            if (++count % FlushEveryRows == 0)
            {
                await writer.FlushAsync(cancellationToken);
                await output.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>Writes a JSON array of the records; returns how many were written.</summary>
    public static async Task<long> WriteJsonAsync(IAsyncEnumerable<AuditRecord> records, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        // The writer targets a memory buffer that is copied to the output asynchronously:
        // JsonSerializer flushes its writer synchronously, which ASP.NET Core forbids on a response.
        var buffer = new ArrayBufferWriter<byte>(2 * ChunkBytes);
        await using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartArray();
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, record, Json);
            count++;
            if (buffer.WrittenCount >= ChunkBytes)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
                buffer.ResetWrittenCount();
                await output.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await output.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>Appends one record's CSV fields (no line end).</summary>
    internal static void AppendCsvRow(StringBuilder line, AuditRecord r)
    {
        var inv = CultureInfo.InvariantCulture;
        line.Append(r.Id.ToString(inv)).Append(',')
            .Append(r.Digest.ToString()).Append(',')
            .Append(r.ContentHash.ToString()).Append(',')
            .Append(r.PerceptualHash.ToString()).Append(',')
            .Append(r.ModelHash.ToString()).Append(',')
            .Append(r.Node.ToString()).Append(',')
            .Append(r.Creator.ToString()).Append(',')
            .Append(r.CreatorCommitment.ToString()).Append(',')
            .Append(r.PromptCommitment.ToString()).Append(',')
            .Append(r.ParametersHash.ToString()).Append(',')
            .Append(r.Timestamp.ToString(inv)).Append(',')
            .Append(r.WatermarkId.ToString()).Append(',')
            .Append(r.NodeSequence.ToString(inv)).Append(',')
            .Append(r.Signature).Append(',')
            .Append(r.ReceivedAt.ToString("O", inv)).Append(',')
            .Append(r.State.ToString().ToLowerInvariant()).Append(',')
            .Append(r.BatchId?.ToString(inv)).Append(',')
            .Append(r.LedgerSequence?.ToString(inv)).Append(',')
            .Append(r.RevokedAt?.ToString("O", inv)).Append(',');
        AppendCsvField(line, r.RevocationReason);
        line.Append(',').Append(r.PdqHash?.ToString()).Append(',').Append(r.PdqQuality?.ToString(inv));
    }

    /// <summary>Appends a free-text field, quoted (quotes doubled) when it holds a comma, quote or line break.</summary>
    internal static void AppendCsvField(StringBuilder line, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }

        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
