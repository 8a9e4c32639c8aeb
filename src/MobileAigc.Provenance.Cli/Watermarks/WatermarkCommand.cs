using System.CommandLine;
using System.Globalization;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Cli.Watermarks;

/// <summary><c>provenance watermark embed|extract</c>: the keyed image watermark on any PNG or JPEG file.</summary>
internal static class WatermarkCommand
{
    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "The watermark key: 64 hex digits.", Required = true };
        var input = new Option<FileInfo>("--in") { Description = "The PNG or JPEG file to read.", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the watermarked PNG.", Required = true };
        var payload = new Option<string>("--payload") { Description = "The 64-bit payload: 16 hex digits (optional 0x) or a decimal number.", Required = true };

        var embed = new Command("embed", "Embed a keyed invisible watermark carrying a 64-bit payload; writes PNG.") { input, output, key, payload };
        embed.SetAction((parse, _) => CliErrors.RunAsync("watermark embed", async () =>
        {
            var image = ImageCodec.Decode(await CliErrors.ReadInputAsync(parse.GetValue(input)!));
            var marked = new ImageWatermarker(WatermarkKey.Parse(parse.GetValue(key)!)).Embed(image, ParsePayload(parse.GetValue(payload)!));
            await File.WriteAllBytesAsync(parse.GetValue(output)!.FullName, ImageCodec.Encode(marked, ImageFileFormat.Png));
            Console.WriteLine($"embedded payload 0x{ParsePayload(parse.GetValue(payload)!):x16} into {parse.GetValue(output)!.Name} ({marked.Width}x{marked.Height})");
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

    private static ulong ParsePayload(string text)
    {
        var hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : null;
        if (hex is not null ? ulong.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var fromHex) && hex.Length <= 16
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out fromHex))
        {
            return fromHex;
        }

        throw new FormatException($"'{text}' is not a 64-bit payload (0x and up to 16 hex digits, or a decimal number).");
    }
}
