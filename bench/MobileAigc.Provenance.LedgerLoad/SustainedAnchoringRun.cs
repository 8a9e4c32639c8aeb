using System.Diagnostics;
using System.Globalization;
using System.Text;
using MobileAigc.Provenance.LedgerLoad.Environment;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.LedgerLoad.Phases;
using MobileAigc.Provenance.LedgerLoad.Records;
using MobileAigc.Provenance.LedgerLoad.Reporting;
using Nethereum.JsonRpc.Client;

namespace MobileAigc.Provenance.LedgerLoad;

/// <summary>
/// The sustained-anchoring mode: anvil mining a block every <see cref="SustainedAnchoringSettings.BlockTimeSeconds"/>
/// seconds (as <c>--block-time</c> does), the ledger waiting for <see cref="SustainedAnchoringSettings.Confirmations"/>
/// confirmations with its anchoring settings at their defaults, ingest at its full rate for a fixed time; then whether
/// the backlog stayed bounded and how long records waited from acceptance to anchored and confirmed.
/// </summary>
public static class SustainedAnchoringRun
{
    /// <summary>Runs it; returns the process exit code (1 when not every record was anchored in time).</summary>
    public static async Task<int> RunAsync(SustainedAnchoringSettings settings, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var startedAt = DateTimeOffset.UtcNow;
        var loadAtStart = MachineSnapshot.LoadAverage();
        var work = Directory.CreateTempSubdirectory("ledger-sustained-").FullName;
        await log.WriteLineAsync($"Load {loadAtStart}; working in {work}.");

        // Deployed with automatic mining (the registry's commitments age by mined blocks), then switched to interval mining.
        await using var chain = await BenchmarkChain.StartAsync(cancellationToken);
        await new RpcClient(chain.Node.RpcUrl).SendRequestAsync(new RpcRequest(1, "evm_setIntervalMining", settings.BlockTimeSeconds));
        await log.WriteLineAsync($"anvil at {chain.Node.RpcUrl}, a block every {settings.BlockTimeSeconds} s from now on.");
        await using var database = await BenchmarkDatabase.CreateAsync(settings.Provider, work, cancellationToken);
        var ledgerSettings = await chain.LedgerSettingsAsync(work);
        foreach (var (key, value) in database.Settings)
        {
            ledgerSettings[key] = value;
        }

        // The trust issue's limits stay at their defaults except these two, raised for the generator's one address and node key.
        ledgerSettings["Ledger:Host:RateLimitPermits"] = "1000000000";
        ledgerSettings["Ledger:Ingest:NodeQuotaRecords"] = "10000000"; // the option's maximum
        ledgerSettings["Ledger:Chain:Confirmations"] = settings.Confirmations.ToString(CultureInfo.InvariantCulture);
        ledgerSettings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in AnchoringLatencySplit.LedgerLogSettings)
        {
            ledgerSettings[key] = value; // the anchoring lines, timestamped, for the latency split
        }

        var ledgerLog = Path.Combine(work, "ledger.log");
        await using var ledger = await LedgerProcess.StartAsync(ledgerSettings, ledgerLog, cancellationToken);
        using var api = new LedgerApi(ledger.BaseAddress);

        var signClock = Stopwatch.StartNew();
        var records = new RecordPresigner(chain.Domain, chain.NodeKey, chain.ModelHash, startedAt).Sign(settings.Records);
        await log.WriteLineAsync($"Signed {records.Length:N0} records in {signClock.Elapsed.TotalSeconds:F0} s.");
        var loadBefore = MachineSnapshot.LoadAverage();
        var result = await new SustainedAnchoringPhase(api, ledger, log).RunAsync([.. records.Chunk(1_000)], settings, cancellationToken);
        var split = AnchoringLatencySplit.Read(await ReadSharedAsync(ledgerLog, cancellationToken), result);
        var markdown = Report(settings, result, startedAt, database.Description, loadBefore, MachineSnapshot.LoadAverage()) + "\n"
                       + AnchoringLatencySplit.Table(split);
        await log.WriteLineAsync();
        await log.WriteLineAsync(markdown);
        if (settings.WriteResults)
        {
            await ResultsDocument.WriteBlockAsync(settings.OutputPath, settings.SectionName, markdown);
            await log.WriteLineAsync($"Wrote block results:{settings.SectionName} of {settings.OutputPath}.");
        }

        return result.Drained ? 0 : 1;
    }

    private static string Report(
        SustainedAnchoringSettings settings, SustainedAnchoringResult result, DateTimeOffset startedAt, string database, string loadBefore, string loadAfter)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Run {startedAt:yyyy-MM-dd HH:mm} UTC, {database}; load average before {loadBefore}, after {loadAfter}.");
        text.AppendLine("Settings: anchoring at its defaults; `Ledger:Host:RateLimitPermits` and `Ledger:Ingest:NodeQuotaRecords` raised (1,000,000,000 and 10,000,000 per minute) for the generator's one address and node key; logs at Warning, the anchoring worker's at Information (timestamped, for the split).");
        text.AppendLine(c, $"Command: `dotnet run -c Release --project bench/MobileAigc.Provenance.LedgerLoad -- {settings.Arguments}`.");
        text.AppendLine();
        text.AppendLine("| what | value |");
        text.AppendLine("|---|---|");
        var loop = settings.IngestRate > 0
            ? $"open loop at {settings.IngestRate:N0} records/s (at most {settings.Connections} requests at once; the latest request left {result.MaxLateness.TotalSeconds:F1} s behind its schedule)"
            : $"closed loop, {settings.Connections} connections";
        text.AppendLine(c, $"| ingest, {loop} | {result.Accepted:N0} records in {result.IngestTime.TotalSeconds:F0} s = {result.IngestRate:N0} records/s{(result.RanOut ? " (the signed records ran out first)" : "")} |");
        var firstMinute = result.Samples.Where(s => s.At <= TimeSpan.FromSeconds(60)).ToList();
        var later = result.Samples.Where(s => s.At > TimeSpan.FromSeconds(60) && s.At <= result.IngestTime).ToList();
        if (firstMinute.Count > 0 && later.Count > 0)
        {
            text.AppendLine(c, $"| largest backlog in the first minute | {firstMinute.Max(s => s.Backlog):N0} records |");
            text.AppendLine(c, $"| largest backlog from the first minute to the end of ingest | {later.Max(s => s.Backlog):N0} records |");
            text.AppendLine(c, $"| backlog trend from the first minute to the end of ingest (least squares) | {Slope(later):N0} records/s |");
        }

        text.AppendLine(c, $"| batches | {result.Batches.Count:N0}, {result.Batches.Average(b => b.RecordCount):N0} records on average, at most {result.Batches.Max(b => b.RecordCount):N0} |");
        text.AppendLine(c, $"| acceptance to anchored and confirmed | p50 {result.Latency.P50 / 1e6:F1} s, p99 {result.Latency.P99 / 1e6:F1} s, max {result.Latency.Max / 1e6:F1} s (resolution {settings.SampleSeconds} s) |");
        text.AppendLine(c, $"| everything anchored and confirmed | {(result.Drained ? "yes" : "NO, not within the drain timeout")} |");
        text.AppendLine();
        text.AppendLine("Backlog (accepted, not yet anchored and confirmed) every 15 s: waiting (in no batch), in flight (batch planned or sent, not mined), unconfirmed (mined, waiting for its confirmations):");
        text.AppendLine();
        text.AppendLine("| s | accepted | anchored | backlog | waiting | in flight | unconfirmed | batches unfinished |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var sample in result.Samples.Where((_, i) => i % Math.Max(1, 15 / settings.SampleSeconds) == 0))
        {
            text.AppendLine(c, $"| {sample.At.TotalSeconds:F0} | {sample.Accepted:N0} | {sample.Anchored:N0} | {sample.Backlog:N0} | {sample.Waiting:N0} | {sample.InFlight:N0} | {sample.Mined:N0} | {sample.BatchesInFlight} |");
        }

        return text.ToString();
    }

    // The ledger still runs and writes its log: read it without asking for it alone.
    private static async Task<string[]> ReadSharedAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return (await reader.ReadToEndAsync(cancellationToken)).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static double Slope(IReadOnlyList<BacklogSample> samples)
    {
        var meanX = samples.Average(s => s.At.TotalSeconds);
        var meanY = samples.Average(s => (double)s.Backlog);
        var covariance = samples.Sum(s => (s.At.TotalSeconds - meanX) * (s.Backlog - meanY));
        var variance = samples.Sum(s => Math.Pow(s.At.TotalSeconds - meanX, 2));
        return variance == 0 ? 0 : covariance / variance;
    }
}
