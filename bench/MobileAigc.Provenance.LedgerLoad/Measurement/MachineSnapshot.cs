using System.Globalization;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>What the machine is and how busy it was, for the report.</summary>
/// <param name="ProcessorCount">Logical processors this process may use (what <c>nproc</c> prints).</param>
/// <param name="CpuModel">The CPU's model name from /proc/cpuinfo.</param>
/// <param name="MemoryGiB">Total memory, GiB.</param>
/// <param name="OperatingSystem">The OS description.</param>
/// <param name="Runtime">The .NET runtime description.</param>
public sealed record MachineSnapshot(int ProcessorCount, string CpuModel, double MemoryGiB, string OperatingSystem, string Runtime)
{
    /// <summary>Reads the machine's description (Linux /proc; "unknown" elsewhere).</summary>
    public static MachineSnapshot Capture() => new(
        System.Environment.ProcessorCount,
        ProcField("/proc/cpuinfo", "model name") ?? "unknown",
        double.TryParse(ProcField("/proc/meminfo", "MemTotal")?.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib)
            ? Math.Round(kib / 1024 / 1024, 1)
            : 0,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription);

    /// <summary>The 1-, 5- and 15-minute load averages as /proc/loadavg shows them; "unknown" elsewhere.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string? ProcField(string path, string name)
    {
        try
        {
            return File.ReadLines(path)
                .Where(line => line.StartsWith(name, StringComparison.Ordinal) && line.Contains(':', StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
