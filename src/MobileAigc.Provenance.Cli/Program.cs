using System.CommandLine;
using MobileAigc.Provenance.Cli.Demo;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Logs and pipes: one line per step instead of wrapping hashes at 80 columns.
    AnsiConsole.Profile.Width = 320;
}

var root = new RootCommand("MobileAigc.Provenance: provable, traceable and paid-for AI-generated content.")
{
    DemoCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
