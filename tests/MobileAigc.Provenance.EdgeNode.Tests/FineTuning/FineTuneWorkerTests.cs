using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.EdgeNode.FineTuning;
using MobileAigc.Provenance.EdgeNode.Payments;
using MobileAigc.Provenance.EdgeNode.Tests.Payments;
using Microsoft.Extensions.Logging.Abstractions;

namespace MobileAigc.Provenance.EdgeNode.Tests.FineTuning;

/// <summary>The worker in process with the real trainer behind the seam: a job that breaks unexpectedly fails alone.</summary>
public sealed class FineTuneWorkerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ScratchPayments _payments = new();
    private EdgeNodeRuntime _node = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_dir.File("passphrase"), "a long enough passphrase\n");
        _node = await EdgeNodeRuntime.OpenAsync(new EdgeNodeOptions
        {
            DataDirectory = _dir.Path,
            PassphraseFile = _dir.File("passphrase"),
            ModelsDirectory = RepositoryPaths.Models,
            ProvenanceLedger = EdgeNodeHost.LedgerContract,
        }, TimeProvider.System);
    }

    public Task DisposeAsync()
    {
        _node.Dispose();
        _payments.Dispose();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Worker_TrainerThrowsUnexpectedly_FailsThatJobRefundsItAndRunsTheNext()
    {
        var options = new FineTuningOptions { Steps = 5 };
        DerivativeTrainer trainer = (input, progress, cancellationToken) => input.Name == "breaks"
            ? throw new InvalidCastException("a bug in the trainer")
            : TextDerivativeTrainer.Train(input, progress, cancellationToken);
        var channel = ScratchPayments.Channel();
        Assert.Null(_payments.Offer(channel, 500, 1, 500));
        var fee = new AcceptedPayment(channel.ChannelId, 1, 500, 500);
        using var jobs = FineTuneJobs.Open(_node, new EdgeNodeOptions { DataDirectory = _dir.Path, ModelsDirectory = RepositoryPaths.Models },
            options, new FeeRefunds(_payments.Database), trainer, TimeProvider.System, NullLogger.Instance);
        using var worker = new FineTuneWorker(jobs, NullLogger<FineTuneWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);

        var broken = await jobs.EnqueueAsync(Order("breaks"), null, fee);
        var next = await jobs.EnqueueAsync(Order("works"), null, null);
        await EdgeNodeHostTests.WaitUntilAsync(() => FineTuneStates.IsFinal(jobs.Find(next.Id)!.State));
        await worker.StopAsync(CancellationToken.None);

        var failed = jobs.Find(broken.Id)!;
        Assert.Equal((FineTuneStates.Failed, FineTuneRefunds.Released), (failed.State, failed.Refund));
        Assert.DoesNotContain("bug", failed.Error, StringComparison.Ordinal);
        Assert.Equal(FineTuneStates.Succeeded, jobs.Find(next.Id)!.State);
        Assert.Null(_payments.Vouchers.Find(channel.ChannelId));
        Assert.Contains(jobs.Catalog.Models, m => m.Name == "works" && m.Derivative is not null);
        Assert.Empty(FineTuneNodes.ExampleFiles(_dir.Path));

        FineTuneOrder Order(string name) =>
            FineTuneOrder.Check("kjv-char-mlp", new FineTuneRequest(FineTuneNodes.Sample, name, Visibility: ModelVisibilities.Public), _node.Catalog, options);
    }
}
