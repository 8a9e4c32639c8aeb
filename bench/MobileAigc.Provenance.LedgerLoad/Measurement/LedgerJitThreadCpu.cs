using System.Globalization;

namespace MobileAigc.Provenance.LedgerLoad.Measurement;

/// <summary>
/// The CPU time of a process's background JIT thread (the runtime's tiered-compilation worker, named
/// <c>.NET Tiered Com…</c> by the kernel), read from <c>/proc/&lt;pid&gt;/task</c>. In the timed ingest runs that
/// thread took about a quarter of the ledger's CPU (perf, 2026-12-07) while the code it optimised was the
/// anchoring worker's and the metrics exporter's, reached a few dozen times per run: a cost that fades
/// as a ledger runs for days, not a cost per record. Subtracting it gives the ledger's steady-state CPU per
/// record. Linux only; elsewhere every reading is zero.
/// </summary>
/// <remarks>
/// A compilation thread that starts and exits between two readings is not seen, so the difference of
/// two readings can only under-count the JIT: the figure net of it errs on the high side.
/// </remarks>
public static class LedgerJitThreadCpu
{
    private const string WorkerNamePrefix = ".NET Tiered Com";

    // USER_HZ: the unit of utime and stime in /proc/<pid>/task/<tid>/stat; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>CPU time so far of each live tiered-compilation thread of <paramref name="processId"/>, by thread id.</summary>
    public static IReadOnlyDictionary<int, TimeSpan> Read(int processId)
    {
        var threads = new Dictionary<int, TimeSpan>();
        var tasks = $"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task";
        if (!Directory.Exists(tasks))
        {
            return threads;
        }

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            try
            {
                if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith(WorkerNamePrefix, StringComparison.Ordinal)
                    || !int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    continue;
                }

                threads[id] = CpuOf(File.ReadAllText(Path.Combine(task, "stat")));
            }
            catch (IOException)
            {
                // The thread exited while it was read: its time is not counted (see remarks).
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read: counted as no JIT.
            }
        }

        return threads;
    }

    /// <summary>The JIT threads' CPU between two <see cref="Read"/>s: threads new since <paramref name="before"/> count from zero.</summary>
    public static TimeSpan Between(IReadOnlyDictionary<int, TimeSpan> before, IReadOnlyDictionary<int, TimeSpan> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var total = TimeSpan.Zero;
        foreach (var (id, cpu) in after)
        {
            total += cpu - before.GetValueOrDefault(id);
        }

        return total;
    }

    // Fields after the parenthesised name (which may hold spaces): state is the 3rd field, utime the 14th and stime the 15th.
    private static TimeSpan CpuOf(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
