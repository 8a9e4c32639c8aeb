using MobileAigc.Provenance.WatermarkRobustness;

return await RobustnessBenchmark.RunAsync(BenchmarkSettings.Parse(args), Console.Out);
