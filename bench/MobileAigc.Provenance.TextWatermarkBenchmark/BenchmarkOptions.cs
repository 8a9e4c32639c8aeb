using System.Globalization;
using MobileAigc.Provenance.Watermarking.Text;

namespace MobileAigc.Provenance.TextWatermarkBenchmark;

/// <summary>A benchmark's <c>--name value</c> options, read with their defaults; invariant culture throughout.</summary>
internal sealed class BenchmarkOptions
{
    private readonly Dictionary<string, string> _values;

    private BenchmarkOptions(Dictionary<string, string> values) => _values = values;

    /// <summary>The pairs of <paramref name="args"/>: a name, then its value.</summary>
    public static BenchmarkOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        return new BenchmarkOptions(values);
    }

    /// <summary>The value of <paramref name="name"/>, or null.</summary>
    public string? GetValueOrDefault(string name) => _values.GetValueOrDefault(name);

    /// <summary>The integer <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The number <paramref name="name"/>, or <paramref name="fallback"/>.</summary>
    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The library's watermark defaults with <c>--gamma</c>, <c>--delta</c> and <c>--context-width</c> applied.</summary>
    public TextWatermarkOptions Watermark()
    {
        var defaults = new TextWatermarkOptions();
        return defaults with
        {
            Gamma = Double("--gamma", defaults.Gamma),
            Delta = Double("--delta", defaults.Delta),
            ContextWidth = Int("--context-width", defaults.ContextWidth),
        };
    }

    /// <summary>The options as given, for a report's command line (empty when none).</summary>
    public string Echo() => string.Concat(_values.Select(p => $" {p.Key} {p.Value}"));
}
