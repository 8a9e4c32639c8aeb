using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.LedgerLoad.Environment;
using MobileAigc.Provenance.LedgerLoad.Records;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Signer;

namespace MobileAigc.Provenance.LedgerLoad.Diagnostics;

/// <summary>
/// <c>--profile-ingest</c>: the ledger's <see cref="RecordIngestor"/> in this process, without HTTP,
/// on the same database set-up as a load run, one request's records at a time on one caller. Its
/// CPU per record, set against the signature check alone and against the HTTP run's figure, splits
/// the ledger's ingest cost into cryptography, EF Core with the database, and ASP.NET Core.
/// Prints only; the figures are quoted by hand.
/// </summary>
public static class IngestorProfile
{
    /// <summary>Runs the profile; returns the exit code.</summary>
    public static async Task<int> RunAsync(LoadSettings settings, TextWriter log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(log);
        var work = Directory.CreateTempSubdirectory("ledger-profile-").FullName;
        try
        {
            await using var database = await BenchmarkDatabase.CreateAsync(settings.Provider, work, cancellationToken);
            var databaseOptions = new LedgerDatabaseOptions
            {
                Provider = settings.Provider == LoadProvider.Sqlite ? LedgerDatabaseProvider.Sqlite : LedgerDatabaseProvider.Postgres,
                ConnectionString = database.Settings.GetValueOrDefault("Ledger:Database:ConnectionString"),
                DataDirectory = database.Settings.GetValueOrDefault("Ledger:Database:DataDirectory") ?? work,
            };
            var ledgerAddress = EvmAddress.Parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
            // No chain is contacted: ingest only needs the domain, and the registry mirror is filled below.
            var chain = LedgerChain.Open(new LedgerChainOptions
            {
                RpcUrl = new Uri("http://127.0.0.1:9/"),
                ChainId = 31337,
                ModelRegistry = ledgerAddress.ToString(),
                ProvenanceLedger = ledgerAddress.ToString(),
            });
            var services = new ServiceCollection()
                .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton(chain);
            services.AddLedgerDatabase(databaseOptions);
            // As in a load run: the per-node quota (10,000 a minute by default) would refuse the generator's one node within a second.
            services.AddLedgerIngest().Configure(options => options.NodeQuotaRecords = LedgerLoadRun.GeneratorNodeQuotaRecords);
            await using var provider = services.BuildServiceProvider();
            var databases = provider.GetRequiredService<IDbContextFactory<LedgerDbContext>>();
            await LedgerDatabase.MigrateAsync(databases, cancellationToken);

            var nodeKey = EthECKey.GenerateKey();
            var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
            var model = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
            {
                db.Add(new MirroredModel { ModelHash = model, Owner = node, MetadataUri = "ipfs://profile", Active = true });
                db.Add(new MirroredNode { Node = node, Operator = node, Registered = true, Models = [new NodeModelGrant { Node = node, ModelHash = model }] });
                db.Add(new ModelNodeApproval { ModelHash = model, Node = node });
                await db.SaveChangesAsync(cancellationToken);
            }

            var presigner = new RecordPresigner(chain.Domain, nodeKey, model, DateTimeOffset.UtcNow);
            // Five untimed requests first: JIT tiering, the connection pool and the database's caches settle.
            const int WarmUpRequests = 5;
            var records = presigner.Sign(settings.Records + (WarmUpRequests * settings.RecordsPerRequest));
            var verifier = provider.GetRequiredService<RecordSignatureVerifier>();
            var ingestor = provider.GetRequiredService<RecordIngestor>();
            var batches = records.Chunk(settings.RecordsPerRequest).ToList();

            foreach (var batch in batches.Take(WarmUpRequests))
            {
                await IngestAsync(ingestor, batch, cancellationToken);
            }

            var signatureCpu = Cpu(() => Parallel.ForEach(records.Skip(WarmUpRequests * settings.RecordsPerRequest), r => verifier.IsSignedByNode(r)), out var signatureWall);
            var (ingestCpu, ingestWall) = await CpuAsync(async () =>
            {
                foreach (var batch in batches.Skip(WarmUpRequests))
                {
                    await IngestAsync(ingestor, batch, cancellationToken);
                }
            });
            var timed = settings.Records;
            await log.WriteLineAsync(
                $"In-process RecordIngestor, {settings.Provider}, {timed:N0} records in requests of {settings.RecordsPerRequest:N0}, one caller: " +
                $"{timed / ingestWall.TotalSeconds:N0} records/s wall, {ingestCpu.TotalMicroseconds / timed:N0} µs CPU per record. " +
                $"Signature checks alone (Parallel.ForEach over the same records): {signatureCpu.TotalMicroseconds / timed:N0} µs CPU per record, " +
                $"{timed / signatureWall.TotalSeconds:N0} records/s wall. Load average {Measurement.MachineSnapshot.LoadAverage()}.");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS's temporary-file cleaning.
            }
        }
    }

    private static async Task IngestAsync(RecordIngestor ingestor, SignedProvenanceRecord[] batch, CancellationToken cancellationToken)
    {
        var outcomes = await ingestor.IngestAsync(batch, cancellationToken);
        var refused = outcomes.Count(o => !o.Accepted);
        if (refused > 0)
        {
            throw new InvalidOperationException($"{refused} of {batch.Length} records refused: {outcomes.First(o => !o.Accepted).Refusal}");
        }
    }

    private static TimeSpan Cpu(Action action, out TimeSpan wall)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        wall = clock.Elapsed;
        self.Refresh();
        return self.TotalProcessorTime - before;
    }

    private static async Task<(TimeSpan Cpu, TimeSpan Wall)> CpuAsync(Func<Task> action)
    {
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await action();
        var wall = clock.Elapsed;
        self.Refresh();
        return (self.TotalProcessorTime - before, wall);
    }
}
