using MobileAigc.Provenance.Testing.Repository;
using MobileAigc.Provenance.Training.Image;
using Xunit.Abstractions;

namespace MobileAigc.Provenance.Training.Tests.ImageFineTuning;

public sealed class ImageFineTunerTests(ITestOutputHelper output)
{
    private static DerivativeIdentity Identity(string name = "cppn-image-sepia") =>
        new(name, SepiaExamples.BaseSha256, "0x" + new string('c', 64), "0x" + new string('a', 40), "0x" + new string('b', 40));

    [Fact]
    public void Run_SepiaExamples_HeldOutLossFallsByAFifth()
    {
        var outcome = ImageFineTuner.Run(RepositoryPaths.ImageModel, SepiaExamples.Six, new FineTuneSettings(), Identity(), null, CancellationToken.None);

        output.WriteLine($"held-out {outcome.HeldOutLossBefore:F5} -> {outcome.HeldOutLossAfter:F5} in {outcome.Elapsed}");
        Assert.True(outcome.HeldOutLossAfter <= 0.8 * outcome.HeldOutLossBefore, $"held-out {outcome.HeldOutLossBefore} -> {outcome.HeldOutLossAfter}");
    }
}
