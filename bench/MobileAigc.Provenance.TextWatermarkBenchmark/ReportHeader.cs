using System.Text;

namespace MobileAigc.Provenance.TextWatermarkBenchmark;

/// <summary>The opening every report of this benchmark shares: its title, and the commands that wrote it.</summary>
internal static class ReportHeader
{
    /// <summary>A report that starts with <paramref name="title"/> and the <paramref name="commands"/> that wrote it.</summary>
    public static StringBuilder Start(string title, params string[] commands)
    {
        var s = new StringBuilder();
        s.AppendLine("# " + title);
        s.AppendLine();
        s.AppendLine("Written by `bench/MobileAigc.Provenance.TextWatermarkBenchmark` (do not edit by hand). Command:");
        s.AppendLine();
        s.AppendLine("```");
        foreach (var command in commands)
        {
            s.AppendLine(command);
        }

        s.AppendLine("```");
        s.AppendLine();
        return s;
    }
}
