using System.Diagnostics;
using System.Globalization;

namespace MobileAigc.Provenance.Testing.Processes;

/// <summary>
/// What Linux's <c>/proc</c> tells about other processes: whether one runs, when it started, whose children they are.
/// .NET's <see cref="Process"/> answers none of these for a process that is not this one's child.
/// </summary>
internal static class ProcessTable
{
    /// <summary>Whether <paramref name="pid"/> runs; a zombie does not (a container's init may never reap it).</summary>
    public static bool IsAlive(int pid) => Stat(pid) is { } fields && fields[0] is not ("Z" or "X");

    /// <summary>
    /// When <paramref name="pid"/> started, in clock ticks since boot (field 22 of <c>/proc/pid/stat</c>), or null when it is gone:
    /// with the pid, it names a process even after the pid has been reused.
    /// </summary>
    public static string? StartTime(int pid) => Stat(pid) is { } fields && fields[0] is not ("Z" or "X") ? fields[19] : null;

    /// <summary>The pids whose parent is <paramref name="parent"/> (a postmaster's backends, say).</summary>
    public static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Stat(pid) is { } fields
                && int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                children.Add(pid);
            }
        }

        return children;
    }

    /// <summary>Kills <paramref name="pid"/> (SIGKILL) if it still runs.</summary>
    public static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// The fields of <c>/proc/pid/stat</c> after the command name (state, ppid, …; so field n of proc(5) is at n − 3), or null
    /// when the process is gone. The command name may hold spaces and parentheses: it ends at the last ')'.
    /// </summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process ended while we looked.
            return null;
        }
    }
}
