namespace MobileAigc.Provenance.WatermarkRobustness.Pictures;

/// <summary>
/// The benchmark cannot run on what it was given: a photograph missing from the data cache or different from the one
/// listed, an unreadable list, more unmarked variants asked for than exist. The message says what to do.
/// </summary>
public sealed class BenchmarkInputException(string message) : Exception(message);
