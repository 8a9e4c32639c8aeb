using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.FineTuning;

namespace MobileAigc.Provenance.Training.Tests.FineTuning;

/// <summary>One fine-tuning run of the shipped text model on the shipped sample at the default settings, shared by a test class.</summary>
public sealed class FineTunedSampleFixture
{
    public FineTunedSampleFixture()
    {
        Reports = [];
        Outcome = TextFineTuner.Run(
            RepositoryPaths.TextModel,
            CreatorSample.Examples,
            new FineTuneSettings(),
            CreatorSample.Identity(),
            new SynchronousProgress(Reports.Add),
            CancellationToken.None);
    }

    public FineTuneOutcome Outcome { get; }

    public List<FineTuneProgress> Reports { get; }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to the thread pool and race the assertions).</summary>
    private sealed class SynchronousProgress(Action<FineTuneProgress> report) : IProgress<FineTuneProgress>
    {
        public void Report(FineTuneProgress value) => report(value);
    }
}
