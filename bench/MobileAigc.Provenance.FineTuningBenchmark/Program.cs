using MobileAigc.Provenance.FineTuningBenchmark;

return FineTuningBenchmark.Run(args);
