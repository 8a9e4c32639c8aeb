using System.Runtime.InteropServices;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Serving;

/// <summary>
/// <c>provenance demo --serve</c> after its round trip: writes the actors' keystores, prints the banner, and keeps the
/// network up until Ctrl-C (SIGINT), SIGTERM or SIGHUP. The caller then stops every process it started.
/// </summary>
internal static class ServeSession
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Serves <paramref name="network"/> until a stop signal arrives or <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="InvalidOperationException">When the ledger or the edge node exits on its own while serving.</exception>
    public static async Task ServeAsync(IAnsiConsole console, TextWriter output, ServedNetwork network, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(network);
        var keys = await ActorKeystores.WriteAsync(Path.Combine(network.OutputDirectory, "keys"), network.Actors, cancellationToken);

        // The signal is taken over, not left to end the process: the caller must still stop anvil, the ledger and the node.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        PosixSignal? received = null;
        var signals = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            received ??= context.Signal;
            stop.Cancel();
        })).ToList();
        try
        {
            ServeBanner.Print(console, output, network, keys);
            while (true)
            {
                await Task.Delay(PollInterval, stop.Token);
                if (new[] { network.Ledger, network.Node }.FirstOrDefault(s => s.HasExited) is { } stopped)
                {
                    // A signal stops the services as well as this command: give its cancellation a moment to arrive.
                    await Task.Delay(PollInterval, stop.Token);
                    throw new InvalidOperationException($"The {stopped.Name} stopped on its own while serving; its log: {stopped.LogFile}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await output.WriteLineAsync($"stopping: {received?.ToString() ?? "cancelled"} received; stopping the edge node, the ledger and anvil");
        }
        finally
        {
            signals.ForEach(s => s.Dispose());
        }
    }
}
