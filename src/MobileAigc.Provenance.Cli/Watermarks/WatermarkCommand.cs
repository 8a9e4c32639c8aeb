using System.CommandLine;
using System.Globalization;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Cli.Watermarks;

/// <summary><c>provenance watermark embed|extract</c>: the keyed image watermark on any PNG, JPEG or WebP file.</summary>
internal static class WatermarkCommand
{
    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "The watermark key: 64 hex digits.", Required = true };
        var input = new Option<FileInfo>("--in") { Description = "The PNG, JPEG or WebP file to read.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the watermarked PNG.", Required = true };
        var payload = new Option<string>("--payload") { Description = "The 64-bit payload in hex: up to 16 hex digits, 0x optional. Give it or --payload-decimal." };
        var payloadDecimal = new Option<string>("--payload-decimal") { Description = "The 64-bit payload as a decimal number (0 to 18446744073709551615), instead of --payload." };

        var embed = new Command("embed", "Embed a keyed invisible watermark carrying a 64-bit payload; writes PNG.") { input, output, key, payload, payloadDecimal };
        embed.SetAction((parse, _) => CliErrors.RunAsync("watermark embed", async () =>
        {
            // The payload is checked before the image is read: a typo should not cost a decode.
            var value = PayloadOf(parse.GetValue(payload), parse.GetValue(payloadDecimal));
            var image = ImageCodec.Decode(await CliErrors.ReadInputAsync(parse.GetValue(input)!));
            var marked = new ImageWatermarker(WatermarkKey.Parse(parse.GetValue(key)!)).Embed(image, value);
            await File.WriteAllBytesAsync(parse.GetValue(output)!.FullName, ImageCodec.Encode(marked, ImageFileFormat.Png));
            Console.WriteLine($"embedded payload 0x{value:x16} into {parse.GetValue(output)!.Name} ({marked.Width}x{marked.Height})");
            return 0;
        }));

        var extract = new Command("extract", "Read the payload of a keyed watermark; exit 1 when none is found (not watermarked, or another key).") { input, key };
        extract.SetAction((parse, _) => CliErrors.RunAsync("watermark extract", async () =>
        {
            var image = ImageCodec.Decode(await CliErrors.ReadInputAsync(parse.GetValue(input)!));
            var reading = new ImageWatermarker(WatermarkKey.Parse(parse.GetValue(key)!)).Extract(image);
            if (!reading.Found)
            {
                await Console.Error.WriteLineAsync("watermark extract: no watermark found for this key");
                return 1;
            }

            Console.WriteLine($"payload 0x{reading.Payload:x16} (confidence {reading.Confidence:0.00}, {reading.CorrectedErrors} symbol errors corrected)");
            return 0;
        }));

        var generateKey = new Command("new-key", "Print a fresh random watermark key.");
        generateKey.SetAction(_ => Console.WriteLine(WatermarkKey.Generate().ToHex()));

        return new Command("watermark", "Embed and read the invisible image watermark.") { embed, extract, generateKey };
    }

    /// <summary>The payload from exactly one of <c>--payload</c> (hex) and <c>--payload-decimal</c>.</summary>
    /// <exception cref="FormatException">Neither or both are given, or the one given is not a 64-bit value in its base.</exception>
    private static ulong PayloadOf(string? hex, string? decimalText) => (hex, decimalText) switch
    {
        (null, null) => throw new FormatException("give the payload with --payload (hex) or --payload-decimal."),
        (not null, not null) => throw new FormatException("--payload and --payload-decimal are mutually exclusive: give one."),
        (not null, null) => ParseHexPayload(hex),
        _ => ParseDecimalPayload(decimalText!),
    };

    private static ulong ParseHexPayload(string text)
    {
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;
        // NumberStyles.AllowHexSpecifier alone: no sign, no white space, no 0x (stripped above).
        return digits.Length is > 0 and <= 16
            && ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"--payload '{text}' is not a 64-bit payload: 1 to 16 hex digits, 0x optional (for a decimal number use --payload-decimal).");
    }

    private static ulong ParseDecimalPayload(string text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"--payload-decimal '{text}' is not a decimal number from 0 to 18446744073709551615.");
}
