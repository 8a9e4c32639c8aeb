using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Common;

/// <summary>
/// A keystore's passphrase, read from a file or asked for on the terminal without echo: never a value on the
/// command line, where shell history and the process list would keep it.
/// </summary>
internal static class Passphrase
{
    /// <summary>The passphrase in <paramref name="file"/> (its trailing line break dropped), or asked for once when no file is given.</summary>
    /// <exception cref="FileNotFoundException">When <paramref name="file"/> is given and missing.</exception>
    /// <exception cref="ArgumentException">When no file is given and there is no terminal to ask on.</exception>
    public static string Read(FileInfo? file, string keystoreName) =>
        file is not null ? FromFile(file) : Ask($"Passphrase of {keystoreName}:");

    /// <summary>
    /// A passphrase for a new keystore: from <paramref name="file"/>, or asked for twice on the terminal. Empty
    /// passphrases are refused.
    /// </summary>
    /// <exception cref="FileNotFoundException">When <paramref name="file"/> is given and missing.</exception>
    /// <exception cref="ArgumentException">When the passphrase is empty, the two entries differ, or there is no terminal to ask on.</exception>
    public static string ReadNew(FileInfo? file)
    {
        var passphrase = file is not null ? FromFile(file) : Ask("Passphrase of the new keystore:");
        if (passphrase.Length == 0)
        {
            throw new ArgumentException("The passphrase is empty; a keystore needs one.");
        }

        if (file is null && Ask("The same passphrase again:") != passphrase)
        {
            throw new ArgumentException("The two passphrases differ; nothing was written.");
        }

        return passphrase;
    }

    private static string FromFile(FileInfo file) =>
        file.Exists
            ? File.ReadAllText(file.FullName).TrimEnd('\r', '\n')
            : throw new FileNotFoundException($"No passphrase file at '{file.FullName}'.");

    private static string Ask(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            throw new ArgumentException("No --passphrase-file given and no terminal to ask for the passphrase on.");
        }

        return AnsiConsole.Prompt(new TextPrompt<string>(prompt).Secret().AllowEmpty());
    }
}
