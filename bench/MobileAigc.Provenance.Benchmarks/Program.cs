using BenchmarkDotNet.Running;
using MobileAigc.Provenance.Benchmarks;

if (args is [PerceptualHashIndexLatency.Argument])
{
    PerceptualHashIndexLatency.Run(Console.Out);
    return;
}

if (args is [PdqIndexLatency.Argument])
{
    PdqIndexLatency.Run(Console.Out);
    return;
}

if (args is [PdqHashCpu.Argument])
{
    PdqHashCpu.Run(Console.Out);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ImageWatermarkBenchmarks).Assembly).Run(args);
