using System.Diagnostics;
using MobileAigc.Provenance.Generation.Models;
using MobileAigc.Provenance.Generation.Text;
using MobileAigc.Provenance.ModelBuilder.Corpus;
using MobileAigc.Provenance.ModelBuilder.Image;
using MobileAigc.Provenance.Training.Text;
using MobileAigc.Provenance.ModelBuilder.Text;

namespace MobileAigc.Provenance.ModelBuilder;

/// <summary>The command line: <c>corpus</c>, <c>text</c>, <c>image</c> or <c>all</c>.</summary>
public static class ModelBuilderCommand
{
    private const string Usage = """
        usage:
          ModelBuilder corpus --bible-output <file> --out <models/corpus/kjv.txt>
          ModelBuilder text   --corpus <models/corpus/kjv.txt> --out <models/kjv-char-mlp> [--steps N]
          ModelBuilder image  --out <models/cppn-image> [--preview <folder>]
          ModelBuilder all    --models <models>
        """;

    /// <summary>Runs one command; returns the process exit code (0 ok, 2 usage error).</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        string Option(string name) => options.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"missing {name}\n{Usage}");

        void Log(string line) => Console.WriteLine(line);

        try
        {
            switch (args[0])
            {
                case "corpus":
                    var text = KjvCorpus.Extract(File.ReadAllText(Option("--bible-output")));
                    File.WriteAllText(Option("--out"), text);
                    Log($"wrote {Option("--out")}: {text.Length:N0} characters");
                    return 0;
                case "text":
                    var training = new CharMlpTrainingOptions();
                    if (options.TryGetValue("--steps", out var steps))
                    {
                        training = training with { Steps = int.Parse(steps, System.Globalization.CultureInfo.InvariantCulture) };
                    }

                    TextModelBuild.Run(Option("--corpus"), Option("--out"), training, Log);
                    CheckText(Option("--out"), Log);
                    return 0;
                case "image":
                    ImageModelBuild.Run(Option("--out"), options.GetValueOrDefault("--preview"), Log);
                    return 0;
                case "all":
                    var models = Option("--models");
                    TextModelBuild.Run(Path.Combine(models, "corpus", "kjv.txt"), Path.Combine(models, TextModelBuild.Name), new CharMlpTrainingOptions(), Log);
                    CheckText(Path.Combine(models, TextModelBuild.Name), Log);
                    ImageModelBuild.Run(Path.Combine(models, ImageModelBuild.Name), null, Log);
                    return 0;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
    }

    /// <summary>Loads the written model the way users do and prints a sample, proving the export runs.</summary>
    private static void CheckText(string directory, Action<string> log)
    {
        using var model = OnnxModel.LoadDirectory(directory);
        var generator = new TextGenerator(model);
        var clock = Stopwatch.StartNew();
        var sample = generator.Generate("And God said", TextGenerationOptions.FromManifest(model.Manifest, seed: 1));
        log($"model.onnx {model.SizeBytes:N0} bytes, SHA-256 {model.Sha256}");
        log($"sample ({sample.Tokens.Count / clock.Elapsed.TotalSeconds:F0} tokens/s): And God said{sample.Text}");
    }
}
