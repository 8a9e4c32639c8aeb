using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Core.Secrets;
using MobileAigc.Provenance.EdgeNode.Generation;
using MobileAigc.Provenance.EdgeNode.Payments;
using Microsoft.Extensions.Logging;

namespace MobileAigc.Provenance.EdgeNode.FineTuning;

/// <summary>
/// The node's fine-tune jobs: checks and queues orders, answers reads and cancels, and gives back the fee of a job that
/// failed or was cancelled (<see cref="FeeRefunds"/>). <see cref="FineTuneWorker"/> runs the queue. Opening it loads the
/// derivatives already made into the catalog, puts jobs a crash cut short back in the queue, finishes refunds a crash
/// interrupted and deletes examples a crash left behind.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class FineTuneJobs : IDisposable
{
    private readonly SemaphoreSlim _queued = new(0);
    private readonly FeeRefunds _refunds;
    private readonly ILogger _logger;

    private FineTuneJobs(
        FineTuneJobStore store, FineTuningOptions options, string examplesFolder, string directory, ModelCatalog catalog, EvmAddress node,
        FeeRefunds refunds, DerivativeTrainer trainer, TimeProvider time, ILogger logger)
    {
        Store = store;
        Options = options;
        ExamplesFolder = examplesFolder;
        Directory = directory;
        Catalog = catalog;
        Node = node;
        _refunds = refunds;
        Trainer = trainer;
        Time = time;
        _logger = logger;
        Runs = new FineTuneRuns(time, logger);
    }

    /// <summary>The options in effect.</summary>
    public FineTuningOptions Options { get; }

    /// <summary>The folder derivatives are written to.</summary>
    public string Directory { get; }

    /// <summary>The node's catalog, which every succeeded job's derivative joins.</summary>
    public ModelCatalog Catalog { get; }

    /// <summary>The node that trains: named in every derivative.</summary>
    public EvmAddress Node { get; }

    internal FineTuneJobStore Store { get; }

    internal string ExamplesFolder { get; }

    internal DerivativeTrainer Trainer { get; }

    internal TimeProvider Time { get; }

    internal SemaphoreSlim QueuedSignal => _queued;

    internal FineTuneRuns Runs { get; }

    /// <summary>Validates <paramref name="options"/> and opens the jobs of <paramref name="node"/> (see the class).</summary>
    /// <exception cref="ValidationException">When an option is invalid (the message names it).</exception>
    public static FineTuneJobs Open(
        EdgeNodeRuntime node, EdgeNodeOptions nodeOptions, FineTuningOptions options, FeeRefunds refunds, DerivativeTrainer trainer, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(nodeOptions);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(refunds);
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(logger);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var examples = Path.Combine(nodeOptions.DataDirectory, "fine-tune-examples");
        SecretFile.CreateFolder(examples, restrict: true);
        var store = FineTuneJobStore.Open(Path.Combine(nodeOptions.DataDirectory, "fine-tunes.db"));
        var jobs = new FineTuneJobs(store, options, examples, options.EffectiveDirectory(nodeOptions), node.Catalog, node.Node, refunds, trainer, time, logger);
        try
        {
            jobs.Recover(nodeOptions);
            return jobs;
        }
        catch
        {
            jobs.Dispose();
            throw;
        }
    }

    /// <summary>Checks that the node can queue <paramref name="order"/> now (before it is paid).</summary>
    /// <exception cref="FineTuneRefusedException">When the queue is full or the name is taken.</exception>
    public void CheckRoom(FineTuneOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (Store.QueuedCount() >= Options.MaxQueued)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.QueueFull, 503,
                $"This node's fine-tune queue is full ({Options.MaxQueued} jobs wait). Nothing was charged; retry after {(int)Options.QueueFullRetryAfter.TotalSeconds} seconds.");
        }

        if (Catalog.Serves(order.Name) || Store.NameInUse(order.Name))
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.NameTaken, 409,
                $"A model or another fine-tune at this node is named '{order.Name}' already: choose another name.");
        }
    }

    /// <summary>
    /// Queues <paramref name="order"/>, paid with <paramref name="payment"/> (null when free), for <paramref name="owner"/>: the
    /// examples (texts or pictures) are written owner-only, the job stored with their commitment, then the worker woken.
    /// </summary>
    /// <exception cref="FineTuneRefusedException">When the queue filled up or the name was taken meanwhile: the caller gives the payment back.</exception>
    public async Task<FineTuneJobRecord> EnqueueAsync(FineTuneOrder order, EvmAddress? owner, AcceptedPayment? payment, CancellationToken cancellationToken = default)
    {
        CheckRoom(order);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var salt = order.Salt ?? Commitments.NewSalt();
        var path = TrainingExamplesFile.PathOf(ExamplesFolder, id);
        Bytes32 commitment;
        if (order.Pictures is { } pictures)
        {
            await TrainingExamplesFile.WritePicturesAsync(path, pictures, cancellationToken);
            commitment = Commitments.TrainingPictures(salt, pictures);
        }
        else
        {
            await TrainingExamplesFile.WriteAsync(path, order.Examples, cancellationToken);
            commitment = Commitments.TrainingData(salt, order.Examples);
        }

        var job = new FineTuneJobRecord(
            id, FineTuneStates.Queued, order.Base.ModelHash, order.Base.Name, order.Name, order.Seed, owner, order.Visibility,
            commitment, salt, path, payment, null, 0, 0, null, null, null, null, Time.GetUtcNow(), null);
        if (!Store.TryInsert(job))
        {
            TrainingExamplesFile.Delete(path);
            throw new FineTuneRefusedException(FineTuneProblemTypes.NameTaken, 409, $"Another fine-tune at this node took the name '{order.Name}' meanwhile.");
        }

        _queued.Release();
        return job;
    }

    /// <summary>The job with <paramref name="jobId"/> as the API shows it; null when unknown (or not a job id at all).</summary>
    public FineTuneJob? Find(string jobId) =>
        IsJobId(jobId) && Store.Find(jobId) is { } job
            ? job.ToApi(job.State == FineTuneStates.Running ? Runs.Live(jobId) : null)
            : null;

    /// <summary>
    /// Cancels a queued or running job and gives its fee back: a queued job at once, a running one at its next training step
    /// (this waits for that, up to <paramref name="wait"/>).
    /// </summary>
    /// <returns>The job as it stands after the cancel.</returns>
    /// <exception cref="FineTuneRefusedException">When the job is unknown or has finished already.</exception>
    public async Task<FineTuneJob> CancelAsync(string jobId, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        var job = IsJobId(jobId) ? Store.Find(jobId) : null;
        if (job is null)
        {
            throw new FineTuneRefusedException(FineTuneProblemTypes.UnknownJob, 404, $"No fine-tune job '{jobId}' at this node.");
        }

        var ended = Runs.Watch(jobId);
        if (Store.End(jobId, FineTuneStates.Cancelled, null, (0, 0), Time.GetUtcNow(), onlyQueued: true) is { } cancelled)
        {
            Runs.Unwatch(jobId);
            GiveBack(cancelled);
            DeleteExamples(cancelled);
        }
        else if (await Runs.TryCancelAsync(jobId)
            // Claimed by the worker this instant: it finds the cancel when it registers the run.
            || (Store.Find(jobId)!.State == FineTuneStates.Running && (Runs.CancelBeforeStart(jobId) || await Runs.TryCancelAsync(jobId))))
        {
            await Runs.WaitAsync(ended, wait, cancellationToken);
        }
        else
        {
            Runs.Unwatch(jobId);
            var now = Store.Find(jobId)!;
            throw new FineTuneRefusedException(FineTuneProblemTypes.JobFinished, 409, $"Fine-tune job {jobId} has {now.State} already: there is nothing to cancel.");
        }

        return Find(jobId)!;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Store.Dispose();
        _queued.Dispose();
    }

    /// <summary>Gives an ended job's fee back, if it was paid; a failure leaves it pending for the next start.</summary>
    internal void GiveBack(FineTuneJobRecord ended)
    {
        if (ended.Payment is not { } fee)
        {
            return;
        }

        try
        {
            Store.SetRefund(ended.Id, _refunds.GiveBack(fee, Time.GetUtcNow()));
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
        {
            _logger.LogError(e, "The fee of fine-tune job {JobId} could not be given back now; the node tries again at its next start.", ended.Id);
        }
    }

    /// <summary>Deletes a job's examples file and forgets it.</summary>
    internal void DeleteExamples(FineTuneJobRecord job)
    {
        if (job.ExamplesPath is { } path)
        {
            TrainingExamplesFile.Delete(path);
            Store.ClearExamples(job.Id);
        }
    }

    private void Recover(EdgeNodeOptions nodeOptions)
    {
        if (!string.Equals(Path.GetFullPath(Directory), Path.GetFullPath(nodeOptions.ModelsDirectory), StringComparison.Ordinal))
        {
            DerivativeFolder.LoadInto(Directory, Catalog);
        }

        var requeued = Store.RequeueRunning();
        if (requeued > 0)
        {
            _logger.LogWarning("{Count} fine-tune jobs were cut short by a stop or a crash: they run again.", requeued);
        }

        foreach (var job in Store.PendingRefunds())
        {
            GiveBack(job);
        }

        foreach (var job in Store.FinishedWithExamples())
        {
            DeleteExamples(job);
        }

        for (var i = Store.QueuedCount(); i > 0; i--)
        {
            _queued.Release();
        }
    }

    // 32 lower-case hex digits: anything else is not an id this node gives out (and never reaches the database).
    private static bool IsJobId(string jobId) => jobId is { Length: 32 } && jobId.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
