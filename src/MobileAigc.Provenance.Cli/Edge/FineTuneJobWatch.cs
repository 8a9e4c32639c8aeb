using MobileAigc.Provenance.Client;
using MobileAigc.Provenance.Core.Api;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Edge;

/// <summary>
/// Follows a fine-tune job at the node until it ends: a live progress bar on a terminal, a line per change of state or tenth
/// of the steps in logs and pipes (as <c>deploy</c> does).
/// </summary>
internal static class FineTuneJobWatch
{
    /// <summary>How often the node is asked: a job runs for seconds to minutes, and a read is cheap.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Reads the job until it is <see cref="FineTuneStates.IsFinal">final</see> and answers it as it ended.</summary>
    /// <exception cref="EdgeNodeProblemException">When the node refuses a read.</exception>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled (Ctrl+C): the job goes on at the node.</exception>
    public static async Task<FineTuneJob> UntilFinishedAsync(EdgeNodeClient client, FineTuneJob queued, CancellationToken cancellationToken)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await WithLinesAsync(client, queued, cancellationToken);
        }

        var job = queued;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape($"{job.Name}: {job.State}"), maxValue: 1);
                while (!FineTuneStates.IsFinal(job.State))
                {
                    await Task.Delay(PollInterval, cancellationToken);
                    job = await client.GetFineTuneAsync(job.JobId, cancellationToken);
                    task.Description = Markup.Escape($"{job.Name}: {job.State}{(job.Steps > 0 ? $" step {job.Step}/{job.Steps}" : "")}");
                    task.MaxValue = Math.Max(1, job.Steps);
                    task.Value = job.Step;
                }

                task.StopTask();
            });
        return job;
    }

    private static async Task<FineTuneJob> WithLinesAsync(EdgeNodeClient client, FineTuneJob job, CancellationToken cancellationToken)
    {
        var shown = (State: "", Tenth: -1);
        while (true)
        {
            var tenth = job.Steps > 0 ? job.Step * 10 / job.Steps : 0;
            if (job.State != shown.State || tenth != shown.Tenth)
            {
                Console.WriteLine(job.Steps > 0 ? $"{job.State}: step {job.Step}/{job.Steps}" : job.State);
                shown = (job.State, tenth);
            }

            if (FineTuneStates.IsFinal(job.State))
            {
                return job;
            }

            await Task.Delay(PollInterval, cancellationToken);
            job = await client.GetFineTuneAsync(job.JobId, cancellationToken);
        }
    }
}
