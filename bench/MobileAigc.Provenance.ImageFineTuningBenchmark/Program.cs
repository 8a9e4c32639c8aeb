using MobileAigc.Provenance.ImageFineTuningBenchmark;

return ImageFineTuningBenchmark.Run(args, Console.Out);
