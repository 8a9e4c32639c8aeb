using System.Globalization;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.LedgerLoad;

/// <summary>The database engine the ledger under load runs on.</summary>
public enum LoadProvider
{
    /// <summary>The embedded SQLite file (WAL, synchronous=FULL: the ledger's own settings).</summary>
    Sqlite,

    /// <summary>A real PostgreSQL 15 started by the generator, fsync on.</summary>
    Postgres,
}

/// <summary>The command-line names of <see cref="LoadProvider"/>, shared by every mode of the generator.</summary>
public static class LoadProviderNames
{
    /// <summary>Reads <c>sqlite</c>, <c>postgres</c> or <c>postgresql</c> (any case).</summary>
    /// <exception cref="ArgumentException">On any other name, with <paramref name="usage"/>.</exception>
    public static LoadProvider Parse(string name, string usage) => name.ToLowerInvariant() switch
    {
        "sqlite" => LoadProvider.Sqlite,
        "postgres" or "postgresql" => LoadProvider.Postgres,
        var other => throw new ArgumentException($"Unknown provider '{other}'. {usage}"),
    };
}

/// <summary>Command-line settings of the load generator.</summary>
/// <param name="Provider">The ledger's database. Required.</param>
/// <param name="Records">Records per timed ingest run. Default 50,000.</param>
/// <param name="Runs">Timed ingest runs per connection count; the report gives their median. Default 3.</param>
/// <param name="Connections">Concurrent ingest connections; one set of runs per value. Default 2.</param>
/// <param name="RecordsPerRequest">Records per <c>POST api/records</c>. Default 1,000 (the API's maximum).</param>
/// <param name="VerifyRate">Verification requests per second, open loop. Default 200.</param>
/// <param name="VerifySeconds">Length of the measured verification window. Default 30 s.</param>
/// <param name="VerifyWarmupSeconds">Verification at the same rate before measuring, discarded. Default 5 s.</param>
/// <param name="UnknownShare">Share of verification requests asking about a hash nobody recorded. Default 0.1.</param>
/// <param name="AnchoringBatchSize">The ledger's <c>Ledger:Anchoring:BatchSize</c>. Default 1,024.</param>
/// <param name="AnchoringTimeout">How long to wait for every record to be anchored. Default 10 minutes.</param>
/// <param name="OutputPath">The markdown file whose results block is replaced. Default docs/benchmarks/ledger-load.md.</param>
/// <param name="WriteResults">Whether to write the results block. Default true; <c>--no-write</c> only prints.</param>
/// <param name="ProfileIngest"><c>--profile-ingest</c>: run the ledger's ingest pipeline in process instead of a load run (diagnosis).</param>
/// <param name="WarmUpRecords">
/// <c>--warm-up-records</c>: records sent through the whole pipeline (ingest, then anchoring) before timing, so that the
/// ledger's code is compiled at its optimised tier as in a ledger that has run for days. Default 30,000.
/// </param>
public sealed record LoadSettings(
    LoadProvider Provider,
    int Records,
    int Runs,
    IReadOnlyList<int> Connections,
    int RecordsPerRequest,
    int VerifyRate,
    int VerifySeconds,
    int VerifyWarmupSeconds,
    double UnknownShare,
    int AnchoringBatchSize,
    TimeSpan AnchoringTimeout,
    string OutputPath,
    bool WriteResults,
    bool ProfileIngest = false,
    int WarmUpRecords = 30_000)
{
    private const string Usage =
        "Usage: --provider sqlite|postgres [--records N] [--runs N] [--connections 2[,4...]] [--per-request N] " +
        "[--verify-rate N] [--verify-seconds N] [--verify-warmup N] [--unknown-share X] [--anchor-batch N] " +
        "[--anchor-timeout SECONDS] [--warm-up-records N] [--out FILE] [--no-write] [--profile-ingest]";

    /// <summary>The name of the results block this run replaces: the provider, lower case.</summary>
    public string SectionName => Provider.ToString().ToLowerInvariant();

    /// <summary>Every record the timed runs send.</summary>
    public int TimedRecordCount => Records * Runs * Connections.Count;

    /// <summary>Parses the command line (see <see cref="Usage"/>).</summary>
    /// <exception cref="ArgumentException">On an unknown option, a missing value or a value out of range.</exception>
    public static LoadSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        LoadProvider? provider = null;
        int records = 50_000, runs = 3, perRequest = 1_000, verifyRate = 200, verifySeconds = 30, warmup = 5, anchorBatch = 1_024;
        var anchorTimeout = TimeSpan.FromMinutes(10);
        var connections = new List<int> { 2 };
        var unknownShare = 0.1;
        var output = RepositoryPaths.Combine("docs", "benchmarks", "ledger-load.md");
        var write = true;
        var profile = false;
        var warmUpRecords = 30_000;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value. {Usage}");
            int Int() => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new ArgumentException($"{option} needs an integer. {Usage}");
            switch (option)
            {
                case "--provider":
                    provider = LoadProviderNames.Parse(Value(), Usage);
                    break;
                case "--records": records = Int(); break;
                case "--runs": runs = Int(); break;
                case "--connections":
                    connections = [.. Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(c => int.TryParse(c, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                            ? n
                            : throw new ArgumentException($"--connections takes positive integers separated by commas. {Usage}"))];
                    break;
                case "--per-request": perRequest = Int(); break;
                case "--verify-rate": verifyRate = Int(); break;
                case "--verify-seconds": verifySeconds = Int(); break;
                case "--verify-warmup": warmup = Int(); break;
                case "--unknown-share":
                    unknownShare = double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var share)
                        ? share
                        : throw new ArgumentException($"--unknown-share needs a number. {Usage}");
                    break;
                case "--anchor-batch": anchorBatch = Int(); break;
                case "--anchor-timeout": anchorTimeout = TimeSpan.FromSeconds(Int()); break;
                case "--warm-up-records": warmUpRecords = Int(); break;
                case "--out": output = Path.GetFullPath(Value()); break;
                case "--no-write": write = false; break;
                case "--profile-ingest": profile = true; break;
                default: throw new ArgumentException($"Unknown option {option}. {Usage}");
            }
        }

        Require(provider is not null, "--provider is required");
        Require(records >= 1, "--records must be at least 1");
        Require(runs >= 1, "--runs must be at least 1");
        Require(connections.Count >= 1, "--connections needs at least one value");
        Require(perRequest is >= 1 and <= 1_000, "--per-request must be between 1 and 1,000 (the API's maximum)");
        Require(verifyRate is >= 1 and <= 100_000, "--verify-rate must be between 1 and 100,000");
        Require(verifySeconds >= 1 && warmup >= 0, "--verify-seconds must be at least 1 and --verify-warmup at least 0");
        Require(unknownShare is >= 0 and <= 1, "--unknown-share must be between 0 and 1");
        Require(anchorBatch is >= 1 and <= 65_536, "--anchor-batch must be between 1 and 65,536");
        Require(anchorTimeout > TimeSpan.Zero, "--anchor-timeout must be positive");
        Require(warmUpRecords >= 0, "--warm-up-records must be at least 0");
        return new LoadSettings(provider!.Value, records, runs, connections, perRequest, verifyRate, verifySeconds, warmup,
            unknownShare, anchorBatch, anchorTimeout, output, write, profile, warmUpRecords);
    }

    /// <summary>The arguments that reproduce this run, as printed in the results.</summary>
    public string Arguments => string.Join(' ',
        $"--provider {SectionName}",
        $"--records {Records}",
        $"--runs {Runs}",
        $"--connections {string.Join(',', Connections)}",
        $"--per-request {RecordsPerRequest}",
        $"--verify-rate {VerifyRate}",
        $"--verify-seconds {VerifySeconds}",
        $"--verify-warmup {VerifyWarmupSeconds}",
        string.Create(CultureInfo.InvariantCulture, $"--unknown-share {UnknownShare}"),
        $"--anchor-batch {AnchoringBatchSize}",
        $"--warm-up-records {WarmUpRecords}");

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{message}. {Usage}");
        }
    }
}
