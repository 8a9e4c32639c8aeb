namespace MobileAigc.Provenance.Training.FineTuning;

/// <summary>How far a fine-tuning run is.</summary>
/// <param name="Step">Steps finished: 0 before the first, <paramref name="Steps"/> after the last.</param>
/// <param name="Steps">The run's number of steps.</param>
/// <param name="RecentTrainLoss">The mean training loss (nats per character) of the last 20 steps at most; null before the first step.</param>
public sealed record FineTuneProgress(int Step, int Steps, double? RecentTrainLoss);
