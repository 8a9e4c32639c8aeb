using System.Globalization;
using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

namespace MobileAigc.Provenance.WatermarkRobustness;

/// <summary>Where a set of the benchmark's marked pictures comes from.</summary>
public enum PictureSource
{
    /// <summary>Rendered by the repository's image model (models/cppn-image), seeds 1 to N: the default.</summary>
    Generated,

    /// <summary>The fixed list of Debian photographs (<c>photographs.tsv</c>), read from the data cache.</summary>
    Photographs,

    /// <summary>The unit tests' synthetic pictures of six kinds.</summary>
    Synthetic,

    /// <summary>PNG/JPEG files of a folder.</summary>
    Folder,
}

/// <summary>One set of pictures the run marks and attacks.</summary>
/// <param name="Source">Where the pictures come from.</param>
/// <param name="Count">How many (generated, synthetic: that many; folder: the first N files; photographs: ignored, the whole list).</param>
/// <param name="Directory">For <see cref="PictureSource.Folder"/>: the folder.</param>
public sealed record PictureSetRequest(PictureSource Source, int Count, string? Directory = null);

/// <summary>Command-line settings of the robustness benchmark.</summary>
/// <param name="Sets">The picture sets, in the order given; each gets its own table. Default: 60 generated pictures.</param>
/// <param name="FalsePositiveCount">
/// How many unmarked variants (crops, scales, re-encodings, flips, rotations of the sets' unmarked pictures) to read for
/// false positives; null (the default) for all of them, 0 for none.
/// </param>
/// <param name="DataCache">Where <c>scripts/fetch-benchmark-data.sh</c> unpacked the Debian packages (the photographs).</param>
/// <param name="PhotographList">The list of photographs. Default: <c>photographs.tsv</c> beside this project.</param>
/// <param name="OutputPath">The markdown file whose results sections are replaced. Default docs/benchmarks/watermark-robustness.md.</param>
/// <param name="PhotographSide">The short side the photographs are resized to, in pixels. Default <see cref="PhotographSet.ShortSide"/> (512).</param>
public sealed record BenchmarkSettings(
    IReadOnlyList<PictureSetRequest> Sets, int? FalsePositiveCount, string DataCache, string PhotographList, string OutputPath,
    int PhotographSide = PhotographSet.ShortSide)
{
    /// <summary>The smallest short side <c>--photograph-side</c> takes: the reader's smallest picture worth a table.</summary>
    public const int MinPhotographSide = 256;

    /// <summary>The largest short side <c>--photograph-side</c> takes (a phone photograph's is about 3,000).</summary>
    public const int MaxPhotographSide = 4096;

    /// <summary>The data cache's environment variable, shared with <c>scripts/fetch-benchmark-data.sh</c>.</summary>
    public const string DataCacheVariable = "MOBILEAIGC_DATA_CACHE";

    private const string Usage =
        "Usage: [--generated N] [--photographs] [--synthetic] [--images DIR] [--count N] [--false-positives N|all] [--data-cache DIR] [--photograph-list FILE] [--photograph-side N] [--out FILE]";

    /// <summary>The arguments that reproduce this run (the data cache and output file left out), as printed in the results.</summary>
    public string Arguments
    {
        get
        {
            var parts = new List<string>();
            foreach (var set in Sets)
            {
                parts.Add(set.Source switch
                {
                    PictureSource.Generated => $"--generated {set.Count}",
                    PictureSource.Photographs => PhotographSide == PhotographSet.ShortSide ? "--photographs" : $"--photographs --photograph-side {PhotographSide}",
                    PictureSource.Synthetic => $"--synthetic --count {set.Count}",
                    _ => $"--images {set.Directory} --count {set.Count}",
                });
            }

            parts.Add($"--false-positives {(FalsePositiveCount is { } n ? n.ToString(CultureInfo.InvariantCulture) : "all")}");
            return string.Join(' ', parts);
        }
    }

    /// <summary>The default data cache: <c>$MOBILEAIGC_DATA_CACHE</c>, else <c>~/.cache/mobileaigc-provenance</c>.</summary>
    public static string DefaultDataCache =>
        Environment.GetEnvironmentVariable(DataCacheVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mobileaigc-provenance");

    /// <summary>Parses the command line (see the usage text); with no picture set given, 60 generated pictures.</summary>
    /// <exception cref="ArgumentException">On an unknown option or a missing or invalid value; the message includes the usage.</exception>
    public static BenchmarkSettings Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var sets = new List<PictureSetRequest>();
        var count = 60;
        int? falsePositives = null;
        var cache = DefaultDataCache;
        var list = RepositoryPaths.Combine("bench", "MobileAigc.Provenance.WatermarkRobustness", "photographs.tsv");
        var output = RepositoryPaths.Combine("docs", "benchmarks", "watermark-robustness.md");
        var photographSide = PhotographSet.ShortSide;
        for (var i = 0; i < args.Length; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{option} needs a value. {Usage}");
            switch (option)
            {
                case "--generated":
                    sets.Add(new PictureSetRequest(PictureSource.Generated, Positive(option, Value())));
                    break;
                case "--photographs":
                    sets.Add(new PictureSetRequest(PictureSource.Photographs, 0));
                    break;
                case "--synthetic":
                    sets.Add(new PictureSetRequest(PictureSource.Synthetic, 0));
                    break;
                case "--images":
                    sets.Add(new PictureSetRequest(PictureSource.Folder, 0, Value()));
                    break;
                case "--count":
                    count = Positive(option, Value());
                    break;
                case "--false-positives":
                    var value = Value();
                    falsePositives = value == "all" ? null : NonNegative(option, value);
                    break;
                case "--data-cache":
                    cache = Value();
                    break;
                case "--photograph-list":
                    list = Value();
                    break;
                case "--photograph-side":
                    photographSide = Positive(option, Value());
                    if (photographSide is < MinPhotographSide or > MaxPhotographSide)
                    {
                        throw new ArgumentException($"{option} needs a side from {MinPhotographSide} to {MaxPhotographSide} pixels, not {photographSide}. {Usage}");
                    }

                    break;
                case "--out":
                    output = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {option}. {Usage}");
            }
        }

        if (sets.Count == 0)
        {
            sets.Add(new PictureSetRequest(PictureSource.Generated, 60));
        }

        // --count applies to the sets that take it, wherever it stands on the line.
        var resolved = sets.Select(s => s.Source is PictureSource.Synthetic or PictureSource.Folder ? s with { Count = count } : s).ToList();
        if (resolved.GroupBy(s => (s.Source, s.Directory)).Any(g => g.Count() > 1))
        {
            throw new ArgumentException($"A picture set is given twice. {Usage}");
        }

        return new BenchmarkSettings(resolved, falsePositives, cache, list, output, photographSide);
    }

    private static int Positive(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new ArgumentException($"{option} needs a whole number of at least 1, not '{value}'. {Usage}");

    private static int NonNegative(string option, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{option} needs a whole number of at least 0 or 'all', not '{value}'. {Usage}");
}
