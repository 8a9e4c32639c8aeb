using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;

namespace MobileAigc.Provenance.Cli.Hashing;

/// <summary><c>provenance hash</c>: a file's content hash and, for images, its perceptual hash.</summary>
internal static class HashCommand
{
    public static Command Create()
    {
        var input = new Option<FileInfo>("--in") { Description = "The file to hash.", Required = true };
        var command = new Command("hash", "Print the SHA-256 of a file and, when it is a PNG or JPEG, its 256-bit perceptual hash with quality.") { input };
        command.SetAction((parse, _) => CliErrors.RunAsync("hash", async () =>
        {
            var bytes = await CliErrors.ReadInputAsync(parse.GetValue(input)!);
            Console.WriteLine($"sha256      {Bytes32.Sha256(bytes)}");
            if (ImageCodec.Sniff(bytes) is not null)
            {
                var perceptual = PerceptualHasher.Compute(ImageCodec.Decode(bytes));
                Console.WriteLine($"perceptual  {perceptual.Bits}");
                Console.WriteLine($"quality     {perceptual.Quality}{(perceptual.IsTrusted ? "" : " (too flat to trust for matching)")}");
            }

            return 0;
        }));
        return command;
    }
}
