namespace MobileAigc.Provenance.FineTuningBenchmark;

/// <summary>One measured fine-tuning run.</summary>
/// <param name="Seconds">Wall-clock seconds of <c>TextFineTuner.Run</c> (reading the base model included).</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set after the run (the process has run nothing heavier before).</param>
/// <param name="AllocatedBytes">Bytes the run allocated on the managed heap.</param>
/// <param name="LoadAverage">The first three fields of /proc/loadavg just before the run.</param>
/// <param name="Sha256">The derivative's SHA-256.</param>
/// <param name="LossBefore">The base model's held-out loss, nats per character.</param>
/// <param name="LossAfter">The derivative's held-out loss, nats per character.</param>
internal sealed record FineTuningRun(double Seconds, long PeakWorkingSetBytes, long AllocatedBytes, string LoadAverage, string Sha256, double LossBefore, double LossAfter);

/// <summary>The Jensen–Shannon divergence of one source of text from the creator sample.</summary>
/// <param name="Source">What the text is.</param>
/// <param name="Bits">The character-bigram divergence, in bits.</param>
internal sealed record DivergenceRow(string Source, double Bits);
