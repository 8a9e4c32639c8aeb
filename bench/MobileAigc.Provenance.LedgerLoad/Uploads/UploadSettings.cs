using System.Globalization;
using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.LedgerLoad.Uploads;

/// <summary>Command-line settings of the upload run (<c>uploads</c> as the first argument).</summary>
/// <param name="Keys">Watermark keys enrolled with the ledger, one node each; the marking node's is the last. Default 1,000.</param>
/// <param name="Pictures">Distinct marked 1 MP pictures whose records are stored and whose re-encoded copies are uploaded. Default 16.</param>
/// <param name="Rate">Uploads per second, open loop. Default 40.</param>
/// <param name="Seconds">Length of each measured window. Default 30 s.</param>
/// <param name="WarmupSeconds">Uploads at the same rate before the first window, discarded. Default 10 s.</param>
/// <param name="Runs">Measured windows; the report gives each and their median. Default 3.</param>
/// <param name="OutputPath">The markdown file whose results block is replaced. Default docs/benchmarks/verify-uploads.md.</param>
/// <param name="WriteResults">Whether to write the results block. Default true; <c>--no-write</c> only prints.</param>
public sealed record UploadSettings(int Keys, int Pictures, int Rate, int Seconds, int WarmupSeconds, int Runs, string OutputPath, bool WriteResults)
{
    private const string Usage =
        "Usage: uploads [--keys N] [--pictures N] [--rate N] [--seconds N] [--warmup N] [--runs N] [--out FILE] [--no-write]";

    /// <summary>The name of the results block this run replaces.</summary>
    public string SectionName => $"uploads-{Keys}-keys";

    /// <summary>Parses the arguments after <c>uploads</c>.</summary>
    /// <exception cref="ArgumentException">On an unknown option, a missing value or a value out of range.</exception>
    public static UploadSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int keys = 1_000, pictures = 16, rate = 40, seconds = 30, warmup = 10, runs = 3;
        var output = RepositoryPaths.Combine("docs", "benchmarks", "verify-uploads.md");
        var write = true;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value. {Usage}");
            int Int(int min, int max) => int.TryParse(Value(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                ? v
                : throw new ArgumentException($"{option} needs an integer from {min} to {max}. {Usage}");
            switch (option)
            {
                case "--keys": keys = Int(1, 100_000); break;
                case "--pictures": pictures = Int(1, 1_000); break;
                case "--rate": rate = Int(1, 10_000); break;
                case "--seconds": seconds = Int(1, 3_600); break;
                case "--warmup": warmup = Int(0, 3_600); break;
                case "--runs": runs = Int(1, 100); break;
                case "--out": output = Path.GetFullPath(Value()); break;
                case "--no-write": write = false; break;
                default: throw new ArgumentException($"Unknown option {option}. {Usage}");
            }
        }

        return new UploadSettings(keys, pictures, rate, seconds, warmup, runs, output, write);
    }
}
