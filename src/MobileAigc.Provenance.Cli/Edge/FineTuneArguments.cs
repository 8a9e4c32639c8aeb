using System.Globalization;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// The options of <c>edge fine-tune</c> checked before the node is asked: a mistake in them costs no request, no voucher and
/// no job. The node checks the request again (the name's form, its limits on examples, whether the model can learn).
/// </summary>
internal static class FineTuneArguments
{
    /// <summary>
    /// The most bytes of examples files read in all. The node takes far fewer by default (<c>EdgeNode:FineTuning:MaxExampleBytes</c>,
    /// 256 KiB) and says so; this bound only keeps a wrong file (a video, a disk image) from being loaded whole into memory.
    /// </summary>
    public const long MaxExamplesFileBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The examples in <paramref name="files"/>, in order: one example per line, lines holding only white space skipped, the
    /// other lines kept exactly as written (the training data's commitment is over them, so the creator can recompute it).
    /// </summary>
    /// <exception cref="ArgumentException">No file given, a file larger than <see cref="MaxExamplesFileBytes"/> in all, or no example in any of them.</exception>
    /// <exception cref="FileNotFoundException">When a file does not exist.</exception>
    public static async Task<IReadOnlyList<string>> ReadExamplesAsync(IReadOnlyList<FileInfo>? files, CancellationToken cancellationToken)
    {
        if (files is not { Count: > 0 })
        {
            throw new ArgumentException("--examples is required (a text file with one example per line), or --pictures for an image model.");
        }

        long total = 0;
        var examples = new List<string>();
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                throw new FileNotFoundException($"--examples: no file at '{file.FullName}'.");
            }

            total += file.Length;
            if (total > MaxExamplesFileBytes)
            {
                throw new ArgumentException($"--examples: the files hold more than {MaxExamplesFileBytes:N0} bytes; a fine-tune takes a few hundred KiB of text at most.");
            }

            var before = examples.Count;
            foreach (var line in await File.ReadAllLinesAsync(file.FullName, cancellationToken))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    examples.Add(line);
                }
            }

            if (examples.Count == before)
            {
                throw new ArgumentException($"--examples {file.Name} holds no example: one example per line, blank lines are ignored.");
            }
        }

        return examples;
    }

    /// <summary>The bytes of every picture in <paramref name="files"/>, in order (the node checks that each is a PNG or JPEG it can learn from).</summary>
    /// <exception cref="ArgumentException">When the files hold more than <see cref="MaxExamplesFileBytes"/> in all, or one is empty.</exception>
    /// <exception cref="FileNotFoundException">When a file does not exist.</exception>
    public static async Task<IReadOnlyList<byte[]>> ReadPicturesAsync(IReadOnlyList<FileInfo> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        long total = 0;
        var pictures = new List<byte[]>();
        foreach (var file in files)
        {
            if (!file.Exists)
            {
                throw new FileNotFoundException($"--pictures: no file at '{file.FullName}'.");
            }

            total += file.Length;
            if (total > MaxExamplesFileBytes)
            {
                throw new ArgumentException($"--pictures: the files hold more than {MaxExamplesFileBytes:N0} bytes; a node takes 8 MiB of pictures by default.");
            }

            pictures.Add(file.Length > 0 ? await File.ReadAllBytesAsync(file.FullName, cancellationToken) : throw new ArgumentException($"--pictures {file.Name} is empty."));
        }

        return pictures;
    }

    /// <summary>The base model as the node is asked for it: a name, or a 0x SHA-256 checked here.</summary>
    /// <exception cref="ArgumentException">When the value is empty, or starts with 0x and is not 64 hex digits.</exception>
    public static string Model(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            throw new ArgumentException("--model is required: the base model's name or 0x SHA-256 (GET v1/models lists them).");
        }

        return model.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !Bytes32.TryParse(model, out _)
            ? throw new ArgumentException($"--model '{model}' is not a model hash (0x and 64 hex digits); give the model's name or its hash.")
            : model;
    }

    /// <summary>An optional 0x, 64-hex-digit value (<c>--channel</c>, <c>--salt</c>), not zero.</summary>
    /// <exception cref="ArgumentException">When it is given and malformed or zero.</exception>
    public static Bytes32? OptionalBytes32(string option, string? value, string what) =>
        value is null ? null
        : Bytes32.TryParse(value, out var parsed) && !parsed.IsZero ? parsed
        : throw new ArgumentException($"{option} '{value}' is not {what} (0x and 64 hex digits, not zero).");

    /// <summary>A job id as the node answers it: 32 hex digits (lower case here, as the node writes them).</summary>
    /// <exception cref="ArgumentException">When it is not 32 hex digits.</exception>
    public static string JobId(string? jobId) =>
        jobId is { Length: 32 } && jobId.All(char.IsAsciiHexDigit)
            ? jobId.ToLower(CultureInfo.InvariantCulture)
            : throw new ArgumentException($"--job '{jobId}' is not a fine-tune job id (32 hex digits, as edge fine-tune start printed it).");
}
