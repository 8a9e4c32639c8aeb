using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.Generation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// Runs the fine-tune queue: <see cref="FineTuningOptions.Concurrency"/> loops, each taking the oldest queued job, training
/// it off the request threads and ending it: on success the derivative is written whole under
/// <see cref="FineTuneJobs.Directory"/> and joins the catalog before the job reads succeeded; a job cancelled or past
/// <see cref="FineTuningOptions.MaxDuration"/> ends without a model and its fee is given back; a job the node's stop cuts
/// short stays running on disk and runs again at the next start (training is deterministic: the same bytes).
/// </summary>
public sealed class FineTuneWorker(FineTuneJobs jobs, ILogger<FineTuneWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, jobs.Options.Concurrency).Select(_ => Task.Run(() => LoopAsync(stoppingToken), CancellationToken.None)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await jobs.QueuedSignal.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            FineTuneJobRecord? job;
            try
            {
                job = jobs.Store.ClaimNext();
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                // The jobs file cannot be written now (a full disk): the job stays queued; try again on the next signal.
                logger.LogError(e, "The next fine-tune job could not be claimed.");
                jobs.QueuedSignal.Release();
                await Task.Delay(TimeSpan.FromSeconds(5), jobs.Time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }

            if (job is not null)
            {
                await RunAsync(job, stoppingToken);
            }
        }
    }

    /// <summary>Trains one claimed job and ends it.</summary>
    private async Task RunAsync(FineTuneJobRecord job, CancellationToken stoppingToken)
    {
        var cancel = jobs.Runs.Begin(job.Id);
        using var timeout = new CancellationTokenSource(jobs.Options.MaxDuration, jobs.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, timeout.Token, stoppingToken);
        var progress = new JobProgress(jobs, job.Id);
        try
        {
            var input = Input(job);
            var trained = await Task.Factory.StartNew(
                () => jobs.Trainer(input, progress, linked.Token), linked.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Succeed(job, trained);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Left running on disk: the next start queues it again.
            logger.LogInformation("Fine-tune job {JobId} stopped with the node; it runs again at the next start.", job.Id);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Fail(job, FineTuneStates.Cancelled, null, progress.Last);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Fail(job, FineTuneStates.Failed, $"The training ran past this node's limit of {jobs.Options.MaxDuration}.", progress.Last);
        }
        catch (TrainingDataException e)
        {
            Fail(job, FineTuneStates.Failed, $"The examples cannot be trained on: {e.Message}", progress.Last);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever else went wrong (the base model gone, a file unreadable, the runtime refusing the derivative): this job
            // fails and is refunded; the worker goes on with the next one rather than stopping the node.
            logger.LogError(e, "Fine-tune job {JobId} failed.", job.Id);
            Fail(job, FineTuneStates.Failed, "The training failed on this node; the node's log has the cause.", progress.Last);
        }
        finally
        {
            jobs.Runs.End(job.Id);
        }
    }

    private DerivativeTrainingInput Input(FineTuneJobRecord job)
    {
        var parent = jobs.Catalog.Find(job.Parent.ToString());
        var path = job.ExamplesPath ?? throw new InvalidDataException($"Fine-tune job {job.Id} has no examples file left.");
        // The base model's kind decided at acceptance which kind of examples the file holds.
        return DerivativeTrainers.LearnsFromPictures(parent.Model.Manifest!.Kind)
            ? new DerivativeTrainingInput(
                parent.Directory, [], job.Seed, jobs.Options.Steps, job.Name, job.Parent, job.Commitment, job.Owner, jobs.Node,
                TrainingExamplesFile.ReadPictures(path))
            : new DerivativeTrainingInput(
                parent.Directory, TrainingExamplesFile.Read(path), job.Seed, jobs.Options.Steps, job.Name, job.Parent, job.Commitment, job.Owner, jobs.Node);
    }

    private void Succeed(FineTuneJobRecord job, TrainedDerivative trained)
    {
        var access = new DerivativeAccess(job.Parent, job.Owner, job.Visibility);
        var folder = DerivativeFolder.Write(jobs.Directory, job.Name, trained, access);
        var served = jobs.Catalog.Add(ServedModel.Load(folder, derivative: access));
        jobs.Store.Succeed(job.Id, served.ModelHash, trained.HeldOutLossBefore, trained.HeldOutLossAfter, trained.Steps, jobs.Time.GetUtcNow());
        jobs.DeleteExamples(job);
        logger.LogInformation("Fine-tune job {JobId} made derivative {Name} ({Hash}) of {Parent}.", job.Id, job.Name, served.ModelHash, job.Parent);
    }

    private void Fail(FineTuneJobRecord job, string state, string? error, (int Step, int Steps) progress)
    {
        if (jobs.Store.End(job.Id, state, error, progress, jobs.Time.GetUtcNow()) is { } ended)
        {
            jobs.GiveBack(ended);
        }

        jobs.DeleteExamples(job);
    }

    /// <summary>Keeps a run's latest step where reads find it; synchronous, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class JobProgress(FineTuneJobs jobs, string jobId) : IProgress<(int Step, int Steps)>
    {
        public (int Step, int Steps) Last { get; private set; }

        public void Report((int Step, int Steps) value)
        {
            Last = value;
            jobs.Runs.Report(jobId, value);
        }
    }
}
