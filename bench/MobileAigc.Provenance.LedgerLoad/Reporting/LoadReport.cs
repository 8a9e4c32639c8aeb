using System.Globalization;
using System.Text;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.LedgerLoad.Phases;

namespace MobileAigc.Provenance.LedgerLoad.Reporting;

/// <summary>Everything one generator run measured, and its markdown form.</summary>
/// <param name="Settings">The settings.</param>
/// <param name="Machine">The machine.</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="Commit">The source commit (and whether the tree had changes).</param>
/// <param name="LoadAtStart">Load averages at start.</param>
/// <param name="LoadAtEnd">Load averages at the end.</param>
/// <param name="Database">The database, described.</param>
/// <param name="LedgerSettings">The ledger settings that differ from its defaults, with why.</param>
/// <param name="PresignRate">Records signed per second before timing (node-side cost, not timed).</param>
/// <param name="CpuFloor">The CPU per record of JSON reading and signature checking alone, measured in the generator.</param>
/// <param name="IdleLedgerCores">The ledger's CPU use with no request in flight, in cores.</param>
/// <param name="Ingest">The timed ingest runs.</param>
/// <param name="Anchoring">Anchoring and gas.</param>
/// <param name="Verify">Verification latency.</param>
public sealed record LoadReport(
    LoadSettings Settings,
    MachineSnapshot Machine,
    DateTimeOffset StartedAt,
    string Commit,
    string LoadAtStart,
    string LoadAtEnd,
    string Database,
    IReadOnlyList<string> LedgerSettings,
    double PresignRate,
    IngestCpuFloor CpuFloor,
    double IdleLedgerCores,
    IReadOnlyList<IngestRun> Ingest,
    AnchoringResult Anchoring,
    VerifyResult Verify)
{
    /// <summary>The ingest target (issue 16): records per second.</summary>
    public const double IngestTarget = 15_000;

    /// <summary>The ledger's CPU budget per ingested record (issue 16), net of its idle use: microseconds.</summary>
    public const double IngestCpuTargetMicros = 70;

    /// <summary>The verification target: p99 in milliseconds.</summary>
    public const double VerifyP99TargetMs = 20;

    /// <summary>The gas target: gas per record in full batches.</summary>
    public const double GasPerRecordTarget = 100;

    /// <summary>The markdown block for docs/benchmarks/ledger-load.md.</summary>
    public string ToMarkdown()
    {
        var s = Settings;
        var md = new StringBuilder();
        void Line(params FormattableString[] parts) => md.AppendLine(string.Concat(parts.Select(p => p.ToString(CultureInfo.InvariantCulture))));

        Line($"Run {StartedAt:yyyy-MM-dd HH:mm} UTC, commit {Commit}.");
        Line($"Command: `dotnet run -c Release --project bench/MobileAigc.Provenance.LedgerLoad -- {s.Arguments}`");
        md.AppendLine();
        Line($"Machine: {Machine.ProcessorCount} logical CPUs (`nproc`), {Machine.CpuModel}, {Machine.MemoryGiB} GiB, {Machine.OperatingSystem}, {Machine.Runtime}. ",
             $"Load average (1/5/15 min) at start {LoadAtStart}, at end {LoadAtEnd}. ",
             $"The generator, the ledger{(s.Provider == LoadProvider.Postgres ? ", anvil and PostgreSQL" : " and anvil")} all run on these {Machine.ProcessorCount} cores, together with whatever else the load average shows.");
        md.AppendLine();
        Line($"Database: {Database}.");
        md.AppendLine();
        md.AppendLine("Ledger settings that differ from its defaults:");
        foreach (var setting in LedgerSettings)
        {
            md.Append("- ").AppendLine(setting);
        }

        md.AppendLine();
        Line($"Records were signed before timing on every core ({PresignRate:N0} records/s: the edge node's cost, not the ledger's).");
        md.AppendLine();

        md.AppendLine($"| ingest, `POST api/records`, {s.RecordsPerRequest:N0} records per request | connections | runs × records | **records/s, median** | each run | ledger CPU (cores busy) | ledger CPU per record (gross) | request p50 / max | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in Ingest.GroupBy(r => r.Connections))
        {
            var runs = group.ToList();
            var median = Median(runs.Select(r => r.RecordsPerSecond));
            var cores = Median(runs.Select(r => r.LedgerCpu / r.Elapsed));
            var cpuPerRecord = Median(runs.Select(r => r.LedgerCpu.TotalMicroseconds / r.Accepted));
            var p50 = Median(runs.Select(r => (double)r.RequestLatency.P50)) / 1000;
            var max = runs.Max(r => r.RequestLatency.Max) / 1000.0;
            Line($"| {ProviderName} | {group.Key} | {runs.Count} × {runs[0].Records:N0} | **{median:N0}** | {string.Join(", ", runs.Select(r => r.RecordsPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} | {cores:F2} | {cpuPerRecord:N0} µs | {p50:N0} ms / {max:N0} ms | ≥ {IngestTarget:N0}: {(median >= IngestTarget ? "met" : "**missed**")} |");
        }

        md.AppendLine();
        Line($"Every record of every run was answered `accepted` ({Ingest.Sum(r => r.Accepted):N0} records).");
        var ledgerPerRecord = Median(Ingest.Select(r => (r.LedgerCpu.TotalMicroseconds - (IdleLedgerCores * r.Elapsed.TotalMicroseconds)) / r.Accepted));
        Line($"Where the ledger's CPU goes, per record: {ledgerPerRecord:N0} µs in all (kernel figures for the ledger process, median of the runs, less its idle use of {IdleLedgerCores:F3} cores measured with nothing pending); ",
             $"of that, reading the record from JSON costs {CpuFloor.JsonReadMicros:N0} µs and checking its signature {CpuFloor.SignatureCheckMicros:N0} µs ",
             $"(the ledger's own code timed in the generator on one thread, CPU time, before the runs: on a busy machine contention inflates CPU time differently at different moments, so this split is approximate), which leaves about {Math.Max(0, ledgerPerRecord - CpuFloor.TotalMicros):N0} µs ",
             $"for HTTP, EF Core, the database client and anchoring. ",
             $"{(ledgerPerRecord > 0 ? $"At {ledgerPerRecord:N0} µs per record, {Machine.ProcessorCount} cores wholly given to the ledger would ingest at most {Machine.ProcessorCount * 1_000_000 / ledgerPerRecord:N0} records/s " : "")}",
             $"(budget ≤ {IngestCpuTargetMicros:N0} µs: {CpuVerdict(ledgerPerRecord)}).");
        if (Ingest.All(r => r.Jit is not null))
        {
            Line($"Before timing, {s.WarmUpRecords:N0} more records went through the whole pipeline (ingest and anchoring) and the generator waited until the ledger's JIT was quiet; ",
                 $"during the timed runs the ledger's JIT still compiled {string.Join(", ", Ingest.Select(r => r.Jit!.Value.MethodsCompiled.ToString("N0", CultureInfo.InvariantCulture)))} methods ",
                 $"in {string.Join(", ", Ingest.Select(r => r.Jit!.Value.CompilationTime.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)))} ms ",
                 $"(runtime counters `dotnet.jit.compiled_methods` and `dotnet.jit.compilation.time` from its `/metrics`; the time is the compiler's elapsed time, which a busy machine stretches).");
        }

        // The compilations above are paid once in a process's life; the steady state is the figure a ledger running for days
        // pays, so it is given beside the gross one and judged against the budget too.
        var steadyPerRecord = Median(Ingest.Select(r => r.LedgerCpuWithoutJitMicrosPerRecord - (IdleLedgerCores * r.Elapsed.TotalMicroseconds / r.Accepted)));
        Line($"Steady state, without the ledger's background JIT thread (read per thread from `/proc`): {steadyPerRecord:N0} µs per record net of idle use ",
             $"(each run, gross of idle: {string.Join(", ", Ingest.Select(r => r.LedgerCpuWithoutJitMicrosPerRecord.ToString("N0", CultureInfo.InvariantCulture)))} µs; ",
             $"JIT thread {string.Join(", ", Ingest.Select(r => r.LedgerJitCpu.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))} s a run; ",
             $"budget ≤ {IngestCpuTargetMicros:N0} µs: {CpuVerdict(steadyPerRecord)}).");
        md.AppendLine();

        var v = Verify;
        var l = v.Latency;
        Line($"| verify by hash, `GET api/verify/{{sha256}}` | rate | requests | p50 | p90 | **p99** | p99.9 | max | target |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        Line($"| {ProviderName}, {1 - s.UnknownShare:P0} known hashes | {v.Rate}/s open loop | {l.Count:N0} in {v.Duration.TotalSeconds:F0} s | {Ms(l.P50)} | {Ms(l.P90)} | **{Ms(l.P99)}** | {Ms(l.P999)} | {Ms(l.Max)} | p99 ≤ {VerifyP99TargetMs} ms: {(l.P99 / 1000.0 <= VerifyP99TargetMs ? "met" : "**missed**")} |");
        md.AppendLine();
        Line($"Answers: {v.KnownVerified:N0} known hashes `verified`, {v.UnknownAnswered:N0} unknown hashes `unknown`; {v.KnownOther + v.UnknownOther:N0} wrong verdicts, {v.Errors:N0} errors, {v.Refused:N0} refused busy (503, not counted as answers or in the percentiles){(v.FirstFailure is null ? "" : $" (first: `{v.FirstFailure.ReplaceLineEndings(" ")}`)")}. ",
             $"Latency runs from each request's scheduled time to its last response byte; the generator started requests at worst {v.SchedulerLag.TotalMilliseconds:F1} ms late. ",
             $"Measured after {s.VerifyWarmupSeconds} s of warm-up at the same rate, with every record anchored (answers carry the Merkle proof). The answers took {v.Elapsed.TotalSeconds:F1} s ({v.Throughput:N0}/s sustained). Ledger CPU from the window's start to its last answer: {v.LedgerCpu / v.Elapsed:F2} cores, that is {(v.LedgerCpu.TotalMicroseconds - (IdleLedgerCores * v.Elapsed.TotalMicroseconds)) / v.Requests:N0} µs per request (answered or refused) net of idle use; the generator's own CPU {v.GeneratorCpu.TotalMicroseconds / v.Requests:N0} µs per request.");
        md.AppendLine();

        var a = Anchoring;
        var full = a.FullBatches;
        md.AppendLine("| anchoring gas, real receipts on anvil | batches | records | gas per batch | **gas per record** | target |");
        md.AppendLine("|---|---|---|---|---|---|");
        if (full.Count > 0)
        {
            var perRecord = full.Select(b => (double)b.GasUsed / b.RecordCount).ToList();
            Line($"| full batches of {a.BatchSize:N0} | {full.Count} | {full.Sum(b => b.RecordCount):N0} | {full.Min(b => b.GasUsed):N0} – {full.Max(b => b.GasUsed):N0} (median {Median(full.Select(b => (double)b.GasUsed)):N0}) | **{Median(perRecord):F1}** (max {perRecord.Max():F1}) | ≤ {GasPerRecordTarget}: {(perRecord.Max() <= GasPerRecordTarget ? "met" : "**missed**")} |");
        }

        Line($"| all batches, partial ones included | {a.Batches.Count} | {a.RecordsAnchored:N0} | {a.Batches.Sum(b => b.GasUsed):N0} in total | {a.GasPerRecordOverall:F1} | |");
        md.AppendLine();
        Line($"Every accepted record was anchored {a.WaitAfterIngest.TotalSeconds:F0} s after the last ingest run ended; the gas the ledger stored (`AnchorBatch.GasUsed`) equals the receipt's in {a.Batches.Count - a.StoredGasMismatches} of {a.Batches.Count} batches.");
        return md.ToString();
    }

    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        ArgumentOutOfRangeException.ThrowIfZero(sorted.Length);
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // Net of idle use, a figure at or below zero means the idle reading (taken after the runs, 10 s) caught work the runs left
    // behind, such as a JIT backlog on a very busy machine: it says nothing about the budget either way.
    private static string CpuVerdict(double netMicrosPerRecord) =>
        netMicrosPerRecord <= 0 ? "not judged: the idle use measured after the runs was as large as the runs' own, so the machine was too busy to measure"
        : netMicrosPerRecord <= IngestCpuTargetMicros ? "met" : "**missed**";

    private string ProviderName => Settings.Provider == LoadProvider.Sqlite ? "SQLite" : "PostgreSQL";

    private static string Ms(long micros) => (micros / 1000.0).ToString("N1", CultureInfo.InvariantCulture) + " ms";
}
