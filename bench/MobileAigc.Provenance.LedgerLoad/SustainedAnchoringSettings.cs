using System.Globalization;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.LedgerLoad;

/// <summary>Command-line settings of the sustained-anchoring mode (<c>sustained-anchoring</c> as the first argument).</summary>
/// <param name="Provider">The ledger's database. Required.</param>
/// <param name="Seconds">How long ingest runs at its full rate. Default 180.</param>
/// <param name="Records">Records signed before the run (ingest stops early when they run out). Default 600,000.</param>
/// <param name="Connections">Concurrent ingest connections (closed loop at the full rate; at most this many requests at once at a fixed rate). Default 2.</param>
/// <param name="BlockTimeSeconds">anvil's block time once the contracts are deployed. Default 12.</param>
/// <param name="Confirmations">The ledger's <c>Ledger:Chain:Confirmations</c>. Default 2.</param>
/// <param name="SampleSeconds">How often the backlog is sampled. Default 1.</param>
/// <param name="DrainTimeout">How long to wait after ingest for every record to be anchored and confirmed. Default 300 s.</param>
/// <param name="OutputPath">The markdown file whose results block is replaced. Default docs/benchmarks/ledger-load.md.</param>
/// <param name="WriteResults">Whether to write the results block. Default true; <c>--no-write</c> only prints.</param>
/// <param name="IngestRate">
/// Records per second sent on a fixed schedule (open loop: request k leaves k × its size / rate seconds after the start,
/// whatever the ledger's answers took); 0, the default, sends as fast as the ledger answers (closed loop, full rate).
/// </param>
public sealed record SustainedAnchoringSettings(
    LoadProvider Provider,
    int Seconds,
    int Records,
    int Connections,
    int BlockTimeSeconds,
    int Confirmations,
    int SampleSeconds,
    TimeSpan DrainTimeout,
    string OutputPath,
    bool WriteResults,
    int IngestRate = 0)
{
    /// <summary>The first argument that selects this mode.</summary>
    public const string Mode = "sustained-anchoring";

    private const string Usage =
        "Usage: sustained-anchoring --provider sqlite|postgres [--seconds N] [--records N] [--connections N] [--block-time N] " +
        "[--confirmations N] [--sample N] [--drain-timeout SECONDS] [--ingest-rate RECORDS_PER_SECOND] [--out FILE] [--no-write]";

    /// <summary>The name of the results block this run replaces.</summary>
    public string SectionName => $"sustained-anchoring-{Provider.ToString().ToLowerInvariant()}{(IngestRate > 0 ? "-fixed-rate" : "")}";

    /// <summary>The arguments that reproduce this run.</summary>
    public string Arguments => string.Create(CultureInfo.InvariantCulture,
        $"{Mode} --provider {Provider.ToString().ToLowerInvariant()} --seconds {Seconds} --records {Records} --connections {Connections} " +
        $"--block-time {BlockTimeSeconds} --confirmations {Confirmations} --sample {SampleSeconds}{(IngestRate > 0 ? $" --ingest-rate {IngestRate}" : "")}");

    /// <summary>Parses the arguments after the mode.</summary>
    /// <exception cref="ArgumentException">On an unknown option, a missing value or a value out of range.</exception>
    public static SustainedAnchoringSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        LoadProvider? provider = null;
        int seconds = 180, records = 600_000, connections = 2, blockTime = 12, confirmations = 2, sample = 1, drain = 300, rate = 0;
        var output = RepositoryPaths.Combine("docs", "benchmarks", "ledger-load.md");
        var write = true;
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
                case "--seconds": seconds = Int(); break;
                case "--records": records = Int(); break;
                case "--connections": connections = Int(); break;
                case "--block-time": blockTime = Int(); break;
                case "--confirmations": confirmations = Int(); break;
                case "--sample": sample = Int(); break;
                case "--drain-timeout": drain = Int(); break;
                case "--ingest-rate": rate = Int(); break;
                case "--out": output = Path.GetFullPath(Value()); break;
                case "--no-write": write = false; break;
                default: throw new ArgumentException($"Unknown option {option}. {Usage}");
            }
        }

        Require(provider is not null, "--provider is required");
        Require(seconds is >= 10 and <= 3_600, "--seconds must be between 10 and 3,600");
        Require(records is >= 1_000 and <= 5_000_000, "--records must be between 1,000 and 5,000,000");
        Require(connections is >= 1 and <= 64, "--connections must be between 1 and 64");
        Require(blockTime is >= 1 and <= 60, "--block-time must be between 1 and 60");
        Require(confirmations is >= 0 and <= 64, "--confirmations must be between 0 and 64");
        Require(sample is >= 1 and <= 60, "--sample must be between 1 and 60");
        Require(drain >= 10, "--drain-timeout must be at least 10");
        Require(rate is 0 or (>= 10 and <= 1_000_000), "--ingest-rate must be 0 (full rate) or between 10 and 1,000,000 records per second");
        return new SustainedAnchoringSettings(provider!.Value, seconds, records, connections, blockTime, confirmations, sample,
            TimeSpan.FromSeconds(drain), output, write, rate);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{message}. {Usage}");
        }
    }
}
