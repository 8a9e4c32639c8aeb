using System.Globalization;

namespace MobileAigc.Provenance.Cli.Tests;

/// <summary>Processes as Linux's <c>/proc</c> shows them: what a process started, and whether a process still runs.</summary>
internal static class ProcessTree
{
    /// <summary>Every process below <paramref name="root"/> (children, their children, …) now.</summary>
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat)
            {
                parents[pid] = stat.Parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="pid"/> runs: it exists and is not a zombie (dead, waiting to be reaped).</summary>
    public static bool IsRunning(int pid) => Stat(pid) is { State: not 'Z' and not 'X' };

    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so it is read after the last ')'.
    private static (char State, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // Gone since it was listed.
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
