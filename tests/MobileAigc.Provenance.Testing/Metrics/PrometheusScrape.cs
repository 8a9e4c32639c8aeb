using System.Globalization;
using System.Text;

namespace MobileAigc.Provenance.Testing.Metrics;

/// <summary>One sample of a Prometheus text exposition: a metric name, its labels and its value.</summary>
/// <param name="Name">The sample's name (with its <c>_total</c>, <c>_bucket</c>, <c>_count</c> ... suffix).</param>
/// <param name="Labels">Its labels.</param>
/// <param name="Value">Its value.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A parsed <c>/metrics</c> answer (the Prometheus text format 0.0.4: comments, <c>name{label="value",...} value [timestamp]</c>),
/// enough for tests to find a series and compare it before and after an action.
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<PrometheusSample> samples) => Samples = samples;

    /// <summary>Every sample, in order.</summary>
    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">When a sample line is not in the text format.</exception>
    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseLine(line));
        }

        return new PrometheusScrape(samples);
    }

    /// <summary>
    /// The sum of the samples named <paramref name="name"/> whose labels include <paramref name="labels"/>
    /// (<c>("kind", "text")</c> pairs); 0 when there is none (a counter not incremented yet has no series).
    /// </summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Find(name, labels).Sum(s => s.Value);

    /// <summary>The samples named <paramref name="name"/> whose labels include <paramref name="labels"/>.</summary>
    public IEnumerable<PrometheusSample> Find(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    /// <summary>True when a sample named <paramref name="name"/> with <paramref name="labels"/> is present.</summary>
    public bool Has(string name, params (string Label, string Value)[] labels) => Find(name, labels).Any();

    private static PrometheusSample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        string name;
        int rest;
        if (brace >= 0 && (space < 0 || brace < space))
        {
            name = line[..brace];
            rest = ParseLabels(line, brace + 1, labels);
        }
        else if (space > 0)
        {
            name = line[..space];
            rest = space;
        }
        else
        {
            throw new FormatException($"Not a sample line: '{line}'.");
        }

        var fields = line[rest..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is 0 or > 2)
        {
            throw new FormatException($"A sample line has a value and an optional timestamp: '{line}'.");
        }

        return new PrometheusSample(name, labels, ParseValue(fields[0], line));
    }

    // Reads label="value" pairs up to the closing brace; returns the index after it.
    private static int ParseLabels(string line, int at, Dictionary<string, string> labels)
    {
        while (true)
        {
            if (at >= line.Length)
            {
                throw new FormatException($"Unclosed labels: '{line}'.");
            }

            if (line[at] == '}')
            {
                return at + 1;
            }

            var equals = line.IndexOf('=', at);
            if (equals < 0 || equals + 1 >= line.Length || line[equals + 1] != '"')
            {
                throw new FormatException($"A label is name=\"value\": '{line}'.");
            }

            var name = line[at..equals];
            var value = new StringBuilder();
            var i = equals + 2;
            for (; i < line.Length && line[i] != '"'; i++)
            {
                if (line[i] == '\\' && i + 1 < line.Length)
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }
            }

            if (i >= line.Length)
            {
                throw new FormatException($"Unclosed label value: '{line}'.");
            }

            labels[name] = value.ToString();
            at = i + 1;
            if (at < line.Length && line[at] == ',')
            {
                at++;
            }
        }
    }

    private static double ParseValue(string text, string line) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"Not a sample value: '{text}' in '{line}'."),
    };
}
