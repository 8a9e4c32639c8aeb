using MobileAigc.Provenance.Testing.Repository;

namespace MobileAigc.Provenance.WatermarkRobustness;

/// <summary>Where the benchmark's marked pictures come from.</summary>
public enum PictureSource
{
    /// <summary>Rendered by the repository's image model (models/cppn-image), seeds 1 to N: the default.</summary>
    Generated,

    /// <summary>The unit tests' synthetic pictures of six kinds.</summary>
    Synthetic,

    /// <summary>PNG/JPEG files of a folder.</summary>
    Folder,
}

/// <summary>Command-line settings of the robustness benchmark.</summary>
/// <param name="Source">Where the marked pictures come from. Default <see cref="PictureSource.Generated"/>.</param>
/// <param name="ImagesDirectory">For <see cref="PictureSource.Folder"/>: PNG/JPEG files to test (centre-cropped and resized to 512×512).</param>
/// <param name="Count">How many pictures to mark and attack (generated or synthetic: that many; folder: the first N files). Default 60.</param>
/// <param name="FalsePositiveCount">How many extra unmarked pictures (half generated, half synthetic) to read for false positives. Default 1000.</param>
/// <param name="OutputPath">The markdown file whose results section is replaced. Default docs/benchmarks/watermark-robustness.md.</param>
public sealed record BenchmarkSettings(PictureSource Source, string? ImagesDirectory, int Count, int FalsePositiveCount, string OutputPath)
{
    private const string Usage = "Usage: [--generated N | --synthetic | --images DIR] [--count N] [--false-positives N] [--out FILE]";

    /// <summary>The arguments that reproduce this run, as printed in the results.</summary>
    public string Arguments => Source switch
    {
        PictureSource.Generated => $"--generated {Count} --false-positives {FalsePositiveCount}",
        PictureSource.Synthetic => $"--synthetic --count {Count} --false-positives {FalsePositiveCount}",
        _ => $"--images {ImagesDirectory} --count {Count} --false-positives {FalsePositiveCount}",
    };

    /// <summary>The name of the results section this run replaces in the output file.</summary>
    public string SectionName => Source switch
    {
        PictureSource.Generated => "generated",
        PictureSource.Synthetic => "synthetic",
        _ => "folder-" + new DirectoryInfo(ImagesDirectory!).Name,
    };

    /// <summary>Parses <c>[--generated N | --synthetic | --images DIR] [--count N] [--false-positives N] [--out FILE]</c>.</summary>
    /// <exception cref="ArgumentException">On an unknown option or a missing or invalid value.</exception>
    public static BenchmarkSettings Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var source = PictureSource.Generated;
        string? images = null;
        var count = 60;
        var falsePositives = 1000;
        var output = RepositoryPaths.Combine("docs", "benchmarks", "watermark-robustness.md");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value. {Usage}");
            switch (args[i])
            {
                case "--generated":
                    source = PictureSource.Generated;
                    count = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--synthetic":
                    source = PictureSource.Synthetic;
                    break;
                case "--images":
                    source = PictureSource.Folder;
                    images = Value();
                    break;
                case "--count":
                    count = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--false-positives":
                    falsePositives = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    output = Value();
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}. {Usage}");
            }
        }

        if (count < 1 || falsePositives < 0)
        {
            throw new ArgumentException("The picture count must be at least 1 and --false-positives at least 0.");
        }

        return new BenchmarkSettings(source, images, count, falsePositives, output);
    }
}
