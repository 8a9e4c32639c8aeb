using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Credentials.Containers;
using MobileAigc.Provenance.Credentials.Jumbf;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;

namespace MobileAigc.Provenance.Cli.Hashing;

/// <summary>
/// <c>provenance hash FILE</c>: a file's SHA-256 as it is and, for PNG, JPEG and WebP, the asset hash (SHA-256
/// without its C2PA manifest store: a record's content hash), the perceptual hash and the PDQ hash, each with its
/// quality. The ledger finds a
/// delivered file by either hash.
/// </summary>
internal static class HashCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("file") { Description = "The file to hash (or give --in).", Arity = ArgumentArity.ZeroOrOne };
        var input = new Option<FileInfo>("--in") { Description = "The file to hash (instead of the argument)." };
        var command = new Command("hash", "Print the SHA-256 of a file as it is and, when it is a PNG, JPEG or WebP, without its C2PA manifest store (the record's content hash), its 256-bit perceptual hash and its PDQ hash (Meta's reference form), each with its quality.")
        {
            file, input,
        };
        command.SetAction((parse, _) => CliErrors.RunAsync("hash", async () =>
        {
            var chosen = (parse.GetValue(file), parse.GetValue(input)) switch
            {
                (null, null) => throw new ArgumentException("give the file to hash (as the argument or with --in)."),
                (not null, not null) => throw new ArgumentException("give the file once: as the argument or with --in, not both."),
                var (argument, option) => argument ?? option!,
            };
            var bytes = await CliErrors.ReadInputAsync(chosen);
            Console.WriteLine($"sha256      {Bytes32.Sha256(bytes)}");
            if (AssetContainers.Detect(bytes) is null)
            {
                return 0;
            }

            // Decoded first: a truncated or corrupt image is named as such, not as a store that cannot be cut out.
            var image = ImageCodec.Decode(bytes);
            var perceptual = PerceptualHasher.Compute(image);
            Console.WriteLine($"perceptual  {perceptual.Bits}");
            Console.WriteLine($"quality     {perceptual.Quality}{(perceptual.IsTrusted ? "" : " (too flat to trust for matching)")}");
            if (image.Width >= PdqHasher.MinimumSide && image.Height >= PdqHasher.MinimumSide)
            {
                // The reference's own form (64 hex digits, no 0x), so that it compares with what other PDQ tools print.
                var pdq = PdqHasher.Compute(image);
                Console.WriteLine($"pdq         {pdq.Hash}");
                Console.WriteLine($"pdq quality {pdq.Quality}{(pdq.IsTrusted ? "" : " (below 50: the ledger does not match it)")}");
            }

            try
            {
                var location = AssetContainers.Locate(bytes);
                Console.WriteLine($"asset       {AssetContainers.AssetHash(bytes)}{(location is null ? " (no manifest store: the same bytes)" : " (without its manifest store)")}");
            }
            catch (JumbfException e)
            {
                throw new FormatException($"the manifest store cannot be cut out of the file, so it has no asset hash: {e.Message}", e);
            }

            return 0;
        }));
        return command;
    }
}
