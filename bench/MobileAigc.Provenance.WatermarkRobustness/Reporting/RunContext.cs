using System.Globalization;
using System.Runtime.InteropServices;

namespace MobileAigc.Provenance.WatermarkRobustness.Reporting;

/// <summary>The lines every results section starts with: the command that reproduces it, the machine, the date, the time taken and the load.</summary>
public static class RunContext
{
    /// <summary>The one-minute load average (from /proc/loadavg), or "n/a" where the system has none.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>The command line and the machine line of a section (markdown, two lines ending in hard breaks).</summary>
    public static string Header(string arguments, TimeSpan elapsed, string loadBefore, string loadAfter, string how) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            Command: `dotnet run -c Release --project bench/MobileAigc.Provenance.WatermarkRobustness -- {arguments}`  
            Machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}; run {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC, {elapsed.TotalSeconds:F0} s wall ({how}), load average {loadBefore} before, {loadAfter} after.  

            """);
}
