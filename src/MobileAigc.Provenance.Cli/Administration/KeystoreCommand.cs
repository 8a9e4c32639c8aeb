using System.CommandLine;
using MobileAigc.Provenance.Cli.Common;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Cli.Administration;

/// <summary>
/// <c>provenance keystore new|address</c>: creates the encrypted keystores (Web3 Secret Storage) every other
/// command signs with, and tells the address of one without its passphrase.
/// </summary>
internal static class KeystoreCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo>("--out") { Description = "Where to write the new keystore; an existing file is never overwritten.", Required = true };
        var passphraseFile = ChainOptions.PassphraseFile("A file holding the new keystore's passphrase. Default: asked twice on the terminal.");
        var light = new Option<bool>("--light-kdf") { Description = "Cheap scrypt parameters (N = 2^12) for throwaway keys on test networks; the default (N = 2^18) is geth's standard." };
        var create = new Command("new", "Create a new key in an encrypted keystore (0600) and print its address.") { output, passphraseFile, light };
        create.SetAction((parse, cancellationToken) => CliErrors.RunAsync("keystore new", async () =>
        {
            var file = parse.GetValue(output)!;
            if (file.Exists)
            {
                throw new IOException($"A file exists at '{file.FullName}' already; a keystore is never overwritten.");
            }

            var passphrase = Passphrase.ReadNew(parse.GetValue(passphraseFile));
            var key = EthECKey.GenerateKey();
            await KeystoreFile.CreateAsync(file.FullName, key, passphrase, parse.GetValue(light), cancellationToken);
            Console.WriteLine($"{MobileAigc.Provenance.Core.Primitives.EvmAddress.Parse(key.GetPublicAddress())} in {file.FullName}");
            return 0;
        }));

        var keystoreArgument = new Argument<FileInfo>("keystore") { Description = "The keystore file." };
        var address = new Command("address", "Print the address a keystore holds the key of (no passphrase needed).") { keystoreArgument };
        address.SetAction(parse => CliErrors.RunAsync("keystore address", () =>
        {
            Console.WriteLine(KeystoreFile.AddressOf(parse.GetValue(keystoreArgument)!));
            return Task.FromResult(0);
        }));

        return new Command("keystore", "Create encrypted keystores and read their addresses (operators, model owners, nodes).") { create, address };
    }
}
