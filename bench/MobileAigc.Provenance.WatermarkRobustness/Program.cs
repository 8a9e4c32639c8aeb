using MobileAigc.Provenance.WatermarkRobustness;
using MobileAigc.Provenance.WatermarkRobustness.Pictures;

BenchmarkSettings settings;
try
{
    settings = BenchmarkSettings.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

try
{
    return await RobustnessBenchmark.RunAsync(settings, Console.Out);
}
catch (BenchmarkInputException e)
{
    Console.Error.WriteLine(e.Message);
    return 3;
}
