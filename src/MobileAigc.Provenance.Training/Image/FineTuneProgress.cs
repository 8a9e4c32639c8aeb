namespace MobileAigc.Provenance.Training.Image;

/// <summary>Where a fine-tuning run is.</summary>
/// <param name="Step">Steps done, 0 to <paramref name="Steps"/>.</param>
/// <param name="Steps">Steps in the run.</param>
/// <param name="RecentTrainLoss">The mean training loss of the last few steps; null before the first.</param>
public sealed record FineTuneProgress(int Step, int Steps, double? RecentTrainLoss);
