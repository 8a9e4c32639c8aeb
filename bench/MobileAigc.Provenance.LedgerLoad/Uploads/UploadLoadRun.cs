using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.LedgerLoad.Environment;
using MobileAigc.Provenance.LedgerLoad.Measurement;
using MobileAigc.Provenance.LedgerLoad.Reporting;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using MobileAigc.Provenance.Watermarking.Image;
using Nethereum.Signer;

namespace MobileAigc.Provenance.LedgerLoad.Uploads;

/// <summary>
/// The upload run: anvil and the contracts, SQLite, and the real ledger host holding <see cref="UploadSettings.Keys"/>
/// signed watermark-key enrollments (one node each; the registered node that marks the pictures enrolls last, the worst
/// place for a reader that tries keys in turn); the marked pictures' records ingested through the API; then re-encoded
/// copies uploaded to <c>POST api/verify</c> at a fixed rate, each expected to be traced by its watermark.
/// </summary>
public static class UploadLoadRun
{
    /// <summary>Runs; returns the process exit code (0 when every upload was traced).</summary>
    public static async Task<int> RunAsync(UploadSettings settings, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var startedAt = DateTimeOffset.UtcNow;
        var machine = MachineSnapshot.Capture();
        var loadAtStart = MachineSnapshot.LoadAverage();
        var work = Directory.CreateTempSubdirectory("ledger-uploads-").FullName;
        await log.WriteLineAsync($"{machine.ProcessorCount} CPUs, {machine.CpuModel}; load {loadAtStart}; working in {work}.");
        try
        {
            await using var chain = await BenchmarkChain.StartAsync(cancellationToken);
            await using var database = await BenchmarkDatabase.CreateAsync(LoadProvider.Sqlite, work, cancellationToken);
            var ledgerSettings = await chain.LedgerSettingsAsync(work);
            foreach (var (key, value) in database.Settings)
            {
                ledgerSettings[key] = value;
            }

            ledgerSettings["Ledger:Host:RateLimitPermits"] = "1000000000";
            ledgerSettings["Ledger:Chain:Confirmations"] = "0";
            ledgerSettings["Logging:LogLevel:Default"] = "Warning";

            var markingKey = WatermarkKey.Generate();
            var enrollClock = Stopwatch.StartNew();
            var files = await EnrollAsync(settings.Keys, markingKey, chain, work);
            await log.WriteLineAsync($"Signed {files.Count:N0} watermark-key enrollments in {enrollClock.Elapsed.TotalSeconds:F1} s.");
            for (var i = 0; i < files.Count; i++)
            {
                ledgerSettings[$"Ledger:Verification:WatermarkEnrollmentFiles:{i}"] = files[i];
            }

            var (records, uploads) = Prepare(settings.Pictures, markingKey, chain, startedAt);
            await log.WriteLineAsync($"Marked {uploads.Count} pictures of {UploadPictures.Side}x{UploadPictures.Side}; uploads are JPEG q80 re-encodings ({uploads.Average(u => u.Length) / 1024:F0} KiB on average).");

            var ledgerLog = Path.Combine(work, "ledger.log");
            var startClock = Stopwatch.StartNew();
            await using var ledger = await LedgerProcess.StartAsync(ledgerSettings, ledgerLog, cancellationToken);
            await log.WriteLineAsync($"Ledger (pid {ledger.ProcessId}) at {ledger.BaseAddress} with {files.Count:N0} enrolled keys, listening after {startClock.Elapsed.TotalSeconds:F1} s.");
            await SubmitAsync(ledger.BaseAddress, records, cancellationToken);

            using var phase = new UploadPhase(ledger.BaseAddress, ledger, uploads);
            if (settings.WarmupSeconds > 0)
            {
                var warm = await phase.RunAsync(settings.Rate, TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);
                await log.WriteLineAsync($"Warm-up: {warm.Traced + warm.Other} uploads, {warm.Other} not traced{(warm.FirstFailure is { } f ? ": " + f : "")}.");
            }

            var windows = new List<(UploadWindow Window, string Load)>();
            for (var run = 1; run <= settings.Runs; run++)
            {
                var window = await phase.RunAsync(settings.Rate, TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
                var load = MachineSnapshot.LoadAverage();
                windows.Add((window, load));
                var l = window.Latency;
                await log.WriteLineAsync(
                    $"Run {run}: {l.Count} uploads at {settings.Rate}/s; p50 {l.P50 / 1000.0:F1} ms, p99 {l.P99 / 1000.0:F1} ms, max {l.Max / 1000.0:F1} ms; " +
                    $"traced {window.Traced}, other {window.Other}; ledger CPU {window.CpuMillisPerUpload:F1} ms per traced upload; load {load}" +
                    (window.FirstFailure is { } failure ? $"; first failure: {failure}" : "") + ".");
            }

            var markdown = Report(settings, machine, startedAt, loadAtStart, windows);
            await log.WriteLineAsync();
            await log.WriteLineAsync(markdown);
            if (settings.WriteResults)
            {
                await ResultsDocument.WriteBlockAsync(settings.OutputPath, settings.SectionName, markdown);
                await log.WriteLineAsync($"Wrote block results:{settings.SectionName} of {settings.OutputPath}.");
            }

            return windows.All(w => w.Window.Other == 0) ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by a dying child: the temporary folder is the OS's to clean.
            }
        }
    }

    /// <summary>
    /// Submits the records, again while the ledger has not yet read the model's registration from the chain (its indexer
    /// starts with the host), for at most two minutes.
    /// </summary>
    private static async Task SubmitAsync(Uri ledger, SignedProvenanceRecord[] records, CancellationToken cancellationToken)
    {
        using var api = new LedgerApi(ledger);
        var body = LedgerApi.SerializeSubmission(records);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var (status, answer) = await api.SubmitAsync(body, cancellationToken);
            var accepted = (int)status / 100 == 2 && LedgerApi.ParseSubmission(answer).Records is { } answers ? answers.Count(r => r.Accepted) : 0;
            if (accepted == records.Length)
            {
                return;
            }

            var notYetIndexed = LedgerApi.Truncate(answer).Contains("unknown-model", StringComparison.Ordinal);
            if (!notYetIndexed || deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"The ledger accepted {accepted} of {records.Length} records ({(int)status}): {LedgerApi.Truncate(answer)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>One signed enrollment file per node: <paramref name="count"/> − 1 fresh nodes, then the registered node with <paramref name="markingKey"/>.</summary>
    private static async Task<List<string>> EnrollAsync(int count, WatermarkKey markingKey, BenchmarkChain chain, string work)
    {
        var files = new List<string>(count);
        var directory = Directory.CreateDirectory(Path.Combine(work, "enrollments")).FullName;
        for (var i = 0; i < count; i++)
        {
            var (key, node) = i == count - 1 ? (markingKey, chain.NodeKey) : (WatermarkKey.Generate(), EthECKey.GenerateKey());
            var file = Path.Combine(directory, $"node-{i:D5}.json");
            await File.WriteAllBytesAsync(file, EnrolledWatermarkKey.Create(key, node, chain.Domain, DateTimeOffset.UtcNow).ToJsonBytes());
            files.Add(file);
        }

        return files;
    }

    /// <summary>The records of the marked pictures (as the node delivers them: JPEG q90) and the uploads (the same pictures re-encoded at q80).</summary>
    private static (SignedProvenanceRecord[] Records, List<byte[]> Uploads) Prepare(int pictures, WatermarkKey markingKey, BenchmarkChain chain, DateTimeOffset now)
    {
        var watermarker = new ImageWatermarker(markingKey);
        var node = EvmAddress.Parse(chain.NodeKey.GetPublicAddress());
        var records = new SignedProvenanceRecord[pictures];
        var uploads = new List<byte[]>(pictures);
        for (var i = 0; i < pictures; i++)
        {
            var payload = BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"upload picture {i}")));
            var marked = watermarker.Embed(UploadPictures.Create(i), payload);
            var delivered = ImageCodec.Encode(marked, ImageFileFormat.Jpeg, quality: 90);
            var record = new ProvenanceRecord(
                ContentHash: Bytes32.Sha256(delivered),
                PerceptualHash: PerceptualHasher.Compute(marked).Bits,
                ModelHash: chain.ModelHash,
                Node: node,
                Creator: EvmAddress.Zero,
                CreatorCommitment: Bytes32.Zero,
                PromptCommitment: Bytes32.Sha256(Encoding.UTF8.GetBytes($"prompt {i}")),
                ParametersHash: Bytes32.Zero,
                Timestamp: (ulong)now.ToUnixTimeSeconds(),
                WatermarkId: WatermarkIds.FromImagePayload(payload),
                Sequence: (ulong)(i + 1));
            records[i] = new SignedProvenanceRecord(record, ProvenanceRecordTypedData.Sign(record, chain.Domain, chain.NodeKey));
            uploads.Add(ImageCodec.Encode(marked, ImageFileFormat.Jpeg, quality: 80));
        }

        return (records, uploads);
    }

    private static string Report(UploadSettings settings, MachineSnapshot machine, DateTimeOffset startedAt, string loadAtStart, List<(UploadWindow Window, string Load)> windows)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Command: `dotnet run -c Release --project bench/MobileAigc.Provenance.LedgerLoad -- uploads --keys {settings.Keys} --pictures {settings.Pictures} --rate {settings.Rate} --seconds {settings.Seconds} --warmup {settings.WarmupSeconds} --runs {settings.Runs}`  ");
        text.AppendLine(inv, $"Machine: {machine.ProcessorCount} cores, {machine.CpuModel}, {machine.OperatingSystem}, {machine.Runtime}; run {startedAt:yyyy-MM-dd HH:mm} UTC; load average at start {loadAtStart}; generator, anvil and ledger on the same cores.  ");
        text.AppendLine(inv, $"Ledger: SQLite, {settings.Keys:N0} signed watermark-key enrollments (the marking node's last), `Ledger:Host:RateLimitPermits` raised for the generator's one address, other limits at their defaults.  ");
        text.AppendLine(inv, $"Uploads: {settings.Pictures} marked {UploadPictures.Side}x{UploadPictures.Side} pictures re-encoded as JPEG q80 (their records hold the q90 file), so each is decoded, misses the exact hash and is traced by its watermark.");
        text.AppendLine();
        text.AppendLine("| run | uploads | rate (/s) | p50 (ms) | p99 (ms) | max (ms) | traced | other | ledger CPU per traced upload (ms) | load average after |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (var i = 0; i < windows.Count; i++)
        {
            var (w, load) = windows[i];
            text.AppendLine(inv, $"| {i + 1} | {w.Latency.Count} | {settings.Rate} | {w.Latency.P50 / 1000.0:F1} | {w.Latency.P99 / 1000.0:F1} | {w.Latency.Max / 1000.0:F1} | {w.Traced} | {w.Other} | {w.CpuMillisPerUpload:F1} | {load} |");
        }

        text.AppendLine();
        text.AppendLine(inv, $"Median of {windows.Count}: p99 {Median(windows.Select(w => w.Window.Latency.P99 / 1000.0)):F1} ms, ledger CPU {Median(windows.Select(w => w.Window.CpuMillisPerUpload)):F1} ms per traced upload.");
        return text.ToString().TrimEnd();
    }
}
