using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MobileAigc.Provenance.LedgerLoad.Phases;

/// <summary>
/// Where one batch's oldest record spent its time from acceptance to anchored and confirmed, in seconds: waiting for the
/// batch to close, planning it, sending it, waiting for the block that includes it, then for the confirmations and for
/// the worker to see them.
/// </summary>
/// <param name="BatchId">The ledger's batch id.</param>
/// <param name="RecordCount">Records in the batch.</param>
/// <param name="Close">From the oldest record's acceptance to the start of planning (the batch's age when it closed).</param>
/// <param name="Plan">Planning, as the ledger logged it.</param>
/// <param name="PlanRead">Of which reading the waiting records.</param>
/// <param name="PlanTree">Of which the Merkle tree.</param>
/// <param name="PlanWrite">Of which storing the batch row with its records' ids.</param>
/// <param name="Send">From planned to the first transaction sent (nonce, fees, signing, the stored nonce, the broadcast).</param>
/// <param name="Assign">Writing every record's batch, leaf index and proof, after the broadcast (off the batch's own path, and beside the worker's passes, off the next batch's too).</param>
/// <param name="Inclusion">From sent to the timestamp of the block that holds it (block times have a resolution of 1 s).</param>
/// <param name="Confirm">From that block to the worker recording the batch anchored and confirmed.</param>
public sealed record BatchLatencySplit(
    long BatchId, int RecordCount, double Close, double Plan, double PlanRead, double PlanTree, double PlanWrite, double Send, double Assign,
    double Inclusion, double Confirm)
{
    /// <summary>The oldest record's whole wait.</summary>
    public double Total => Close + Plan + Send + Inclusion + Confirm;
}

/// <summary>
/// Splits acceptance-to-confirmed per batch from what the ledger already tells: its anchoring log lines (planned with
/// the steps' times, sent, records written, anchored; the run turns on their timestamps), the batches' block times from the API, and the
/// generator's own acceptance times.
/// </summary>
public static partial class AnchoringLatencySplit
{
    /// <summary>The ledger settings that make its log carry what <see cref="Read"/> parses.</summary>
    public static IReadOnlyDictionary<string, string> LedgerLogSettings { get; } = new Dictionary<string, string>
    {
        ["Logging:LogLevel:MobileAigc.Provenance.Ledger.Anchoring"] = "Information",
        ["Logging:Console:FormatterOptions:SingleLine"] = "true",
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
        ["Logging:Console:FormatterOptions:TimestampFormat"] = "yyyy-MM-ddTHH:mm:ss.fff ",
    };

    /// <summary>The split of every batch that is anchored and whose lines are all in the log, in batch order.</summary>
    /// <param name="ledgerLog">The ledger's log, written with <see cref="LedgerLogSettings"/>.</param>
    /// <param name="result">The run.</param>
    public static IReadOnlyList<BatchLatencySplit> Read(IEnumerable<string> ledgerLog, SustainedAnchoringResult result)
    {
        ArgumentNullException.ThrowIfNull(ledgerLog);
        ArgumentNullException.ThrowIfNull(result);
        var planned = new Dictionary<long, (DateTimeOffset At, Match Line)>();
        var sent = new Dictionary<long, DateTimeOffset>();
        var anchored = new Dictionary<long, DateTimeOffset>();
        var assigned = new Dictionary<long, double>();
        foreach (var line in ledgerLog)
        {
            if (PlannedLine().Match(line) is { Success: true } p)
            {
                planned[Id(p)] = (At(p), p);
            }
            else if (SentLine().Match(line) is { Success: true } s)
            {
                sent.TryAdd(Id(s), At(s));
            }
            else if (AnchoredLine().Match(line) is { Success: true } a)
            {
                anchored.TryAdd(Id(a), At(a));
            }
            else if (AssignedLine().Match(line) is { Success: true } w)
            {
                assigned[Id(w)] = Milliseconds(w, "total") / 1e3;
            }
        }

        var splits = new List<BatchLatencySplit>();
        foreach (var batch in result.Batches.Where(b => b.AnchoredAt is not null).OrderBy(b => b.Id))
        {
            if (!planned.TryGetValue(batch.Id, out var plan) || !sent.TryGetValue(batch.Id, out var sentAt) || !anchored.TryGetValue(batch.Id, out var confirmedAt)
                || AcceptedAt(result, batch.FirstSequence + 1) is not { } firstAccepted)
            {
                continue;
            }

            var took = Milliseconds(plan.Line, "total") / 1e3;
            var planStart = plan.At - TimeSpan.FromSeconds(took);
            var block = batch.AnchoredAt!.Value;
            splits.Add(new BatchLatencySplit(
                batch.Id, batch.RecordCount, Seconds(planStart - firstAccepted), took, Milliseconds(plan.Line, "read") / 1e3,
                Milliseconds(plan.Line, "tree") / 1e3, Milliseconds(plan.Line, "write") / 1e3, Seconds(sentAt - plan.At),
                assigned.GetValueOrDefault(batch.Id), Seconds(block - sentAt), Seconds(confirmedAt - block)));
        }

        return splits;
    }

    /// <summary>A markdown table: median and largest of each part over the batches.</summary>
    public static string Table(IReadOnlyList<BatchLatencySplit> splits)
    {
        ArgumentNullException.ThrowIfNull(splits);
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Acceptance to anchored and confirmed of each batch's oldest record, split ({splits.Count} batches; seconds):");
        text.AppendLine();
        text.AppendLine("| part | median | largest |");
        text.AppendLine("|---|---|---|");
        void Row(string part, Func<BatchLatencySplit, double> of) =>
            text.AppendLine(c, $"| {part} | {Median(splits.Select(of))} | {(splits.Count == 0 ? "-" : splits.Max(of).ToString("F1", c))} |");
        Row("wait for the batch to close (its age when planning starts)", s => s.Close);
        Row("planning", s => s.Plan);
        Row("&nbsp;&nbsp;read the waiting records", s => s.PlanRead);
        Row("&nbsp;&nbsp;Merkle tree", s => s.PlanTree);
        Row("&nbsp;&nbsp;store the batch row with its records' ids", s => s.PlanWrite);
        Row("planned to sent", s => s.Send);
        Row("(after sending: every record's batch, leaf and proof)", s => s.Assign);
        Row("sent to the including block's timestamp", s => s.Inclusion);
        Row("that block to recorded as confirmed", s => s.Confirm);
        Row("**total (oldest record of the batch)**", s => s.Total);
        Row("records per batch", s => s.RecordCount);
        Row("planning per record, µs", s => s.RecordCount == 0 ? 0 : s.Plan * 1e6 / s.RecordCount);
        Row("writing the records after sending, per record, µs", s => s.RecordCount == 0 ? 0 : s.Assign * 1e6 / s.RecordCount);
        return text.ToString();
    }

    private static string Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? "-" : sorted[sorted.Count / 2].ToString("F1", CultureInfo.InvariantCulture);
    }

    // The k-th accepted record (1-based) was accepted by the answer of the first request whose cumulative count reaches k.
    private static DateTimeOffset? AcceptedAt(SustainedAnchoringResult result, long k)
    {
        var acceptances = result.Acceptances;
        int low = 0, high = acceptances.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (acceptances[middle].Cumulative < k)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low == acceptances.Count ? null : result.StartedAt + acceptances[low].At;
    }

    private static long Id(Match match) => long.Parse(match.Groups["id"].ValueSpan, CultureInfo.InvariantCulture);

    private static DateTimeOffset At(Match match) =>
        DateTimeOffset.ParseExact(match.Groups["at"].Value, "yyyy-MM-ddTHH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static double Milliseconds(Match match, string group) => double.Parse(match.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

    private static double Seconds(TimeSpan span) => span.TotalSeconds;

    [GeneratedRegex(@"^(?<at>\S+) info: \S+ Planned batch (?<id>\d+): .* took (?<total>[\d.]+) ms \(read (?<read>[\d.]+), tree (?<tree>[\d.]+), write (?<write>[\d.]+), commit [\d.]+\)")]
    private static partial Regex PlannedLine();

    [GeneratedRegex(@"^(?<at>\S+) info: \S+ Assigned batch (?<id>\d+)'s \d+ records: took (?<total>[\d.]+) ms ")]
    private static partial Regex AssignedLine();

    [GeneratedRegex(@"^(?<at>\S+) info: \S+ Sent anchorBatch for batch (?<id>\d+) ")]
    private static partial Regex SentLine();

    [GeneratedRegex(@"^(?<at>\S+) info: \S+ Batch (?<id>\d+) anchored as chain batch ")]
    private static partial Regex AnchoredLine();
}
