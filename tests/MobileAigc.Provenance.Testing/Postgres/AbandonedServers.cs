using System.Diagnostics;
using System.Globalization;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>
/// Clean-up after test processes that died without disposing their servers (a killed test host, a debugger
/// stopped mid-run): their postmasters would keep running and their directories would stay in the temp folder.
/// Each server directory records its owner (pid and start time, so that a reused pid is not taken for the owner);
/// a directory whose owner is gone is removed, and its postmaster killed.
/// </summary>
internal static class AbandonedServers
{
    public const string DirectoryPrefix = "mobileaigc-pg-";
    private const string OwnerFile = "owner";

    /// <summary>Records this process as the owner of <paramref name="directory"/>.</summary>
    public static void ClaimOwnership(string directory) =>
        File.WriteAllText(Path.Combine(directory, OwnerFile), OwnerStamp(Environment.ProcessId) ?? "");

    /// <summary>Kills the postmasters of, and deletes, the server directories under <paramref name="root"/> whose owner has exited.</summary>
    public static void RemoveUnder(string root)
    {
        foreach (var directory in Directory.EnumerateDirectories(root, DirectoryPrefix + "*"))
        {
            try
            {
                var ownerPath = Path.Combine(directory, OwnerFile);
                if (!File.Exists(ownerPath) || IsOwnerAlive(File.ReadAllText(ownerPath)))
                {
                    // Still in use, or being made right now (the owner file comes first).
                    continue;
                }

                KillPostmaster(directory);
                Directory.Delete(directory, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process is cleaning it up too, or it is not ours to remove: leave it.
            }
        }
    }

    private static bool IsOwnerAlive(string stamp)
    {
        var pid = stamp.Split(' ')[0];
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var ownerPid)
            && OwnerStamp(ownerPid) == stamp.Trim();
    }

    /// <summary>"pid starttime" of a live process, or null when it is gone.</summary>
    private static string? OwnerStamp(int pid) => ProcessTable.StartTime(pid) is { } started ? $"{pid} {started}" : null;

    private static void KillPostmaster(string directory)
    {
        var pidFile = Path.Combine(directory, "data", "postmaster.pid");
        if (!File.Exists(pidFile)
            || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return;
        }

        // Only a postgres whose command line names this directory: the pid in a stale file may belong to anyone by now.
        var commandLine = Path.Combine($"/proc/{pid}", "cmdline");
        if (!File.Exists(commandLine) || !File.ReadAllText(commandLine).Contains(directory, StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var postmaster = Process.GetProcessById(pid);
            // SIGQUIT is pg_ctl's immediate shutdown: unlike SIGKILL it lets the postmaster remove its SysV shared
            // memory segment, which would otherwise outlive the deleted directory until reboot.
            using (var quit = Process.Start("kill", ["-QUIT", pid.ToString(CultureInfo.InvariantCulture)]))
            {
                quit.WaitForExit();
            }

            if (!postmaster.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                postmaster.Kill();
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}
