using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MobileAigc.Provenance.Benchmarks.ImageWatermarkBenchmarks).Assembly).Run(args);
