using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// The image-to-image options of <c>edge generate image</c> (<c>--input</c>, <c>--strength</c>, <c>--parent</c>), checked
/// before the node is opened: a mistake costs no keystore, no model load and no outbox entry. The node checks the
/// request again (a truncated or oversized picture is found only when it is decoded).
/// </summary>
/// <param name="Input">The input file's bytes; null for a text-to-image generation.</param>
/// <param name="Strength">The strength given, or null for the node's default.</param>
/// <param name="Parent">The input's own record digest, or null.</param>
internal sealed record ImageToImageArguments(byte[]? Input, double? Strength, Bytes32? Parent)
{
    /// <summary>Reads and checks the options.</summary>
    /// <exception cref="ArgumentException">
    /// A strength or parent without an input, a strength outside 0 to 1, a parent that is not 0x and 64 hex digits (or is
    /// zero), an input larger than <see cref="ImageToImageInput.MaxInputBytes"/> or not a PNG, JPEG or WebP picture.
    /// </exception>
    /// <exception cref="FileNotFoundException">When the input file does not exist.</exception>
    public static async Task<ImageToImageArguments> ReadAsync(FileInfo? input, double? strength, string? parent, CancellationToken cancellationToken)
    {
        if (input is null)
        {
            return strength is null && parent is null
                ? new ImageToImageArguments(null, null, null)
                : throw new ArgumentException($"{(strength is null ? "--parent" : "--strength")} needs --input: the picture to edit or vary.");
        }

        if (strength is { } value && value is not (>= 0 and <= 1))
        {
            throw new ArgumentException($"--strength must be 0 (keep the input) to 1 (ignore it); got {value}.");
        }

        Bytes32? parentRecord = null;
        if (parent is not null)
        {
            parentRecord = Bytes32.TryParse(parent, out var parsed) && !parsed.IsZero
                ? parsed
                : throw new ArgumentException($"--parent '{parent}' is not a record digest (0x and 64 hex digits, not zero).");
        }

        // The size is checked before reading, so a huge file is refused without being loaded.
        if (input.Exists && input.Length > ImageToImageInput.MaxInputBytes)
        {
            throw new ArgumentException($"--input {input.Name} has {input.Length:N0} bytes; at most {ImageToImageInput.MaxInputBytes:N0} are accepted.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var bytes = await CliErrors.ReadInputAsync(input);
        return ImageCodec.Sniff(bytes) is null
            ? throw new ArgumentException($"--input {input.Name} is not a PNG, JPEG or WebP picture.")
            : new ImageToImageArguments(bytes, strength, parentRecord);
    }
}
