using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>How the round trip prints its steps, and waits for what the services do in the background.</summary>
internal sealed class Script(IAnsiConsole console, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The console the steps are printed on.</summary>
    public IAnsiConsole Console => console;

    /// <summary>Prints one step done: its title and, as markup, what the services or the chain answered.</summary>
    public void Step(string title, string detail) => console.MarkupLine($"[green]✓[/] [bold]{Markup.Escape(title)}[/]: {detail}");

    /// <summary>
    /// Reads <paramref name="read"/> until <paramref name="done"/> holds and returns that reading;
    /// after <paramref name="within"/> fails naming <paramref name="what"/> and the last reading
    /// (as <paramref name="describe"/> tells it; default its <c>ToString</c>).
    /// </summary>
    /// <exception cref="TimeoutException">When it does not hold in time.</exception>
    public async Task<T> WaitUntilAsync<T>(
        string what, TimeSpan within, Func<CancellationToken, Task<T>> read, Func<T, bool> done, CancellationToken cancellationToken,
        Func<T, string>? describe = null)
    {
        var deadline = time.GetUtcNow() + within;
        while (true)
        {
            var reading = await read(cancellationToken);
            if (done(reading))
            {
                return reading;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"Waited {within.TotalSeconds:0} s for {what}; last seen: {(describe is null ? reading : describe(reading))}.");
            }

            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }
}
