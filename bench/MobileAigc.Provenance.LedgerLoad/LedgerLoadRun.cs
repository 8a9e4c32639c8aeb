using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.LedgerLoad.Environment;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.LedgerLoad.Phases;
using MobileAigc.Provenance.LedgerLoad.Records;
using MobileAigc.Provenance.LedgerLoad.Reporting;
using MobileAigc.Provenance.Testing.Processes;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.LedgerLoad;

/// <summary>
/// One run of the load generator: anvil and the contracts, the database, the ledger host as a child
/// process; then pre-signing, timed ingest, the wait for anchoring (gas from receipts), and
/// verification latency at a fixed rate; then the results block of the benchmark page.
/// </summary>
public static class LedgerLoadRun
{
    /// <summary>The ledger's configuration for the benchmark, on top of chain and database, each with the reason it is set.</summary>
    // Code the ledger runs once per request (the endpoint, the existence query, the insert) would
    // still be tier-0 JIT code throughout the timed runs after two warm-up requests. With dynamic PGO
    // a method is compiled three times: tier 0, instrumented tier 1 after 30 calls, optimised tier 1
    // after 30 more; 40 small requests left the second step to the timed runs (hundreds of methods
    // compiled in each, seen with DOTNET_JitStdOutFile). 120 take it past both, and a pause lets the
    // background compilation finish, so that the runs measure the ledger as it runs for days.
    private const int TieringRequests = 120;
    private const int TieringRequestSize = 10;
    private static readonly TimeSpan TieringSettle = TimeSpan.FromSeconds(3);

    // "Quiet": fewer methods compiled than this per window (the background workers' polls compile a few now and then).
    private const int JitQuietMethods = 20;
    private static readonly TimeSpan JitQuietWindow = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan JitQuietTimeout = TimeSpan.FromSeconds(120);

    /// <summary>
    /// <c>Ledger:Ingest:NodeQuotaRecords</c> for the generator's one node key: its highest allowed value, since the
    /// default (10,000 records a minute per node) would refuse a load test within a second.
    /// </summary>
    public const int GeneratorNodeQuotaRecords = 10_000_000;

    private static readonly (string Key, string Value, string Why)[] BenchmarkLedgerSettings =
    [
        ("Ledger:Host:RateLimitPermits", "1000000000",
            "`Ledger:Host:RateLimitPermits` = 1,000,000,000: the public rate limit (default 1,200 requests per minute per client address) would otherwise refuse a load test from one address"),
        ("Ledger:Ingest:NodeQuotaRecords", GeneratorNodeQuotaRecords.ToString(CultureInfo.InvariantCulture),
            "`Ledger:Ingest:NodeQuotaRecords` = 10,000,000 (per `NodeQuotaWindow`, 1 minute by default): the per-node quota (default 10,000 a minute) would otherwise refuse the generator's one node key within a second"),
        ("Ledger:Chain:Confirmations", "0",
            "`Ledger:Chain:Confirmations` = 0: anvil auto-mines one block per transaction and no other blocks, so waiting for confirmations would wait forever"),
        ("Logging:LogLevel:Default", "Warning", "`Logging:LogLevel:Default` = Warning: no per-request information logs"),
    ];

    /// <summary>Runs the benchmark; returns the process exit code.</summary>
    public static async Task<int> RunAsync(LoadSettings settings, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineSnapshot.Capture();
        var loadAtStart = MachineSnapshot.LoadAverage();
        var root = RepositoryPaths.Root;
        var work = Directory.CreateTempSubdirectory("ledger-load-").FullName;
        var logCopy = Path.Combine(Path.GetTempPath(), $"ledger-load-{settings.SectionName}.log");
        await log.WriteLineAsync($"{machine.ProcessorCount} CPUs, {machine.CpuModel}; load {loadAtStart}; working in {work}.");

        await using var chain = await BenchmarkChain.StartAsync(cancellationToken);
        await log.WriteLineAsync($"anvil at {chain.Node.RpcUrl}; ledger contract {chain.Contracts.ProvenanceLedger}; node {chain.NodeKey.GetPublicAddress()}.");
        await using var database = await BenchmarkDatabase.CreateAsync(settings.Provider, work, cancellationToken);
        await log.WriteLineAsync($"Database: {database.Description}.");

        var ledgerSettings = await chain.LedgerSettingsAsync(work);
        foreach (var (key, value) in database.Settings)
        {
            ledgerSettings[key] = value;
        }

        foreach (var (key, value, _) in BenchmarkLedgerSettings)
        {
            ledgerSettings[key] = value;
        }

        ledgerSettings["Ledger:Anchoring:BatchSize"] = settings.AnchoringBatchSize.ToString(CultureInfo.InvariantCulture);
        var settingNotes = BenchmarkLedgerSettings.Select(s => s.Why).Append(
            settings.AnchoringBatchSize == 1_024
                ? "`Ledger:Anchoring:BatchSize` = 1,024 (the batch the gas figures are quoted for; the ledger's default is 65,536); other anchoring settings at their defaults"
                : $"`Ledger:Anchoring:BatchSize` = {settings.AnchoringBatchSize:N0} (the ledger's default is 65,536)").ToList();

        var ledgerLog = Path.Combine(work, "ledger.log");
        await using var ledger = await LedgerProcess.StartAsync(ledgerSettings, ledgerLog, cancellationToken);
        await log.WriteLineAsync($"Ledger (pid {ledger.ProcessId}) at {ledger.BaseAddress}; log {ledgerLog}.");
        try
        {
            using var api = new LedgerApi(ledger.BaseAddress);

            // Sign everything first: warm-up requests, then the timed runs.
            var presigner = new RecordPresigner(chain.Domain, chain.NodeKey, chain.ModelHash, startedAt);
            var warmUpCount = (2 * settings.RecordsPerRequest) + (TieringRequests * TieringRequestSize);
            var signClock = Stopwatch.StartNew();
            var warmUp = presigner.Sign(warmUpCount);
            var pipelineWarmUp = presigner.Sign(settings.WarmUpRecords);
            var timed = presigner.Sign(settings.TimedRecordCount);
            var signedCount = warmUpCount + pipelineWarmUp.Length + timed.Length;
            var presignRate = signedCount / signClock.Elapsed.TotalSeconds;
            await log.WriteLineAsync($"Signed {signedCount:N0} records in {signClock.Elapsed.TotalSeconds:F1} s ({presignRate:N0}/s).");

            var firstRequest = timed.AsSpan(0, Math.Min(settings.RecordsPerRequest, timed.Length)).ToArray();
            var floor = IngestCpuFloor.Measure(chain.Domain, firstRequest, LedgerApi.SerializeSubmission(firstRequest), LedgerApi.Json);
            await log.WriteLineAsync($"CPU floor per record (this process, one thread): JSON read {floor.JsonReadMicros:F0} µs, signature check {floor.SignatureCheckMicros:F0} µs.");

            var jit = new LedgerJitActivity(api);
            var ingest = new IngestPhase(api, ledger, log, jit);
            var fullWarmUp = 2 * settings.RecordsPerRequest;
            await ingest.WarmUpAsync(
                [.. Chunk(warmUp[..fullWarmUp], settings.RecordsPerRequest), .. Chunk(warmUp[fullWarmUp..], TieringRequestSize)],
                TimeSpan.FromSeconds(120), cancellationToken);
            await WarmUpPipelineAsync(ingest, jit, new AnchoringPhase(api, chain.Reader, ledger, log), warmUpCount, pipelineWarmUp, settings, log, cancellationToken);
            // The runtime compiles hot methods again, optimised, on a background thread after they reach the tier-up threshold.
            await Task.Delay(TieringSettle, cancellationToken);
            var runs = new List<IngestRun>();
            var offset = 0;
            foreach (var connections in settings.Connections)
            {
                for (var run = 1; run <= settings.Runs; run++)
                {
                    var slice = timed.AsSpan(offset, settings.Records).ToArray();
                    offset += settings.Records;
                    runs.Add(await ingest.RunAsync(connections, run, Chunk(slice, settings.RecordsPerRequest), cancellationToken));
                }
            }

            var ingestEnded = Stopwatch.StartNew();
            var anchoring = await new AnchoringPhase(api, chain.Reader, ledger, log)
                .WaitAsync(warmUpCount + pipelineWarmUp.Length + timed.Length, settings.AnchoringBatchSize, ingestEnded.Elapsed, settings.AnchoringTimeout, cancellationToken);

            // Measured with nothing pending (every record anchored, JIT tiering settled by then): the background workers' own cost.
            var idleLedgerCores = await IdleCpuAsync(ledger, TimeSpan.FromSeconds(10), cancellationToken);
            await log.WriteLineAsync($"Ledger CPU while idle (background workers): {idleLedgerCores:F3} cores.");

            var known = warmUp.Concat(pipelineWarmUp).Concat(timed).Select(r => r.Record.ContentHash).ToArray();
            var verify = await new VerifyPhase(api, ledger, log).RunAsync(known, settings.VerifyRate,
                TimeSpan.FromSeconds(settings.VerifyWarmupSeconds), TimeSpan.FromSeconds(settings.VerifySeconds), settings.UnknownShare, cancellationToken);

            var report = new LoadReport(settings, machine, startedAt, await CommitAsync(root), loadAtStart, MachineSnapshot.LoadAverage(),
                database.Description, settingNotes, presignRate, floor, idleLedgerCores, runs, anchoring, verify);
            var markdown = report.ToMarkdown();
            await log.WriteLineAsync();
            await log.WriteLineAsync(markdown);
            if (settings.WriteResults)
            {
                await ResultsDocument.WriteBlockAsync(settings.OutputPath, settings.SectionName, markdown);
                await log.WriteLineAsync($"Wrote block results:{settings.SectionName} of {settings.OutputPath}.");
            }

            return verify.KnownOther + verify.UnknownOther + verify.Errors == 0 ? 0 : 1;
        }
        finally
        {
            await ledger.DisposeAsync();
            File.Copy(ledgerLog, logCopy, overwrite: true);
            await log.WriteLineAsync($"Ledger log kept in {logCopy}.");
            TryDelete(work);
        }
    }

    /// <summary>
    /// Ingest, anchoring and the ledger's background work each run code the first warm-up never reached, and the runtime
    /// delays raising any method to its optimised tier while new methods keep being compiled: without this, a third of the
    /// ledger's CPU in the timed runs went to the JIT and much of the request path still ran unoptimised (seen with perf).
    /// So <paramref name="records"/> go through ingest and anchoring like a run, then the generator waits for the JIT to go quiet.
    /// </summary>
    private static async Task WarmUpPipelineAsync(
        IngestPhase ingest, LedgerJitActivity jit, AnchoringPhase anchoring, int alreadySent, SignedProvenanceRecord[] records,
        LoadSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        if (records.Length == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        await ingest.RunAsync(settings.Connections.Max(), 0, Chunk(records, settings.RecordsPerRequest), cancellationToken);
        await anchoring.WaitAsync(alreadySent + records.Length, settings.AnchoringBatchSize, TimeSpan.Zero, settings.AnchoringTimeout, cancellationToken);
        var (last, quiet) = await jit.WaitUntilQuietAsync(JitQuietMethods, JitQuietWindow, JitQuietTimeout, cancellationToken);
        await log.WriteLineAsync(
            $"Pipeline warm-up: {records.Length:N0} records ingested and anchored, then the ledger's JIT " +
            (quiet ? "went quiet" : $"was still busy after {JitQuietTimeout.TotalSeconds:F0} s") +
            $" ({last.MethodsCompiled:N0} methods in the last {JitQuietWindow.TotalSeconds:F0} s); {clock.Elapsed.TotalSeconds:F0} s in all.");
    }

    // The ledger's own CPU use with no request in flight: indexer and anchoring polls, index refreshes.
    private static async Task<double> IdleCpuAsync(HostProcess ledger, TimeSpan window, CancellationToken cancellationToken)
    {
        var before = ledger.TotalProcessorTime;
        await Task.Delay(window, cancellationToken);
        return (ledger.TotalProcessorTime - before) / window;
    }

    private static List<SignedProvenanceRecord[]> Chunk(SignedProvenanceRecord[] records, int size) => [.. records.Chunk(size)];

    private static async Task<string> CommitAsync(string root)
    {
        try
        {
            var head = (await GitAsync(root, "rev-parse", "--short", "HEAD")).Trim();
            var dirty = (await GitAsync(root, "status", "--porcelain", "--untracked-files=no")).Length > 0;
            return dirty ? $"{head} with uncommitted changes" : head;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "unknown (git unavailable)";
        }
    }

    private static async Task<string> GitAsync(string root, params string[] args)
    {
        var (exitCode, output, _) = await ChildProcess.RunAsync("git", args, workingDirectory: root);
        return exitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)} exited with {exitCode}.");
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying child; the temporary folder is the OS's to clean.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
