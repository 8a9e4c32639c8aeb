using System.Diagnostics;
using System.Globalization;

namespace MobileAigc.Provenance.Testing.Postgres;

/// <summary>
/// The operating-system account <c>initdb</c> and <c>postgres</c> run as when the test process is root (both refuse root):
/// found in <c>/etc/passwd</c>, entered through <c>setpriv</c>.
/// </summary>
/// <param name="Name">The account's name.</param>
/// <param name="Uid">Its user id.</param>
/// <param name="Gid">Its primary group id.</param>
/// <param name="SetPriv">The path of util-linux's <c>setpriv</c>.</param>
internal sealed record OsAccount(string Name, int Uid, int Gid, string SetPriv)
{
    /// <summary>The account called <paramref name="name"/>.</summary>
    /// <exception cref="FileNotFoundException">When <c>setpriv</c> is not installed.</exception>
    /// <exception cref="InvalidOperationException">When there is no such account; the message says how to make one.</exception>
    public static OsAccount Find(string name)
    {
        var setpriv = new[] { "/usr/bin/setpriv", "/bin/setpriv" }.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException("Running as root needs setpriv (util-linux) to start PostgreSQL as another account.");
        foreach (var line in File.ReadLines("/etc/passwd"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name)
            {
                return new OsAccount(
                    name, int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), setpriv);
            }
        }

        throw new InvalidOperationException(
            $"This process is root, and initdb/postgres refuse to run as root, but there is no '{name}' account to run them as. " +
            "`apt-get install postgresql` creates one (or `useradd --system postgres`); or set PostgresServerOptions.OsUser.");
    }

    /// <summary>
    /// Makes <paramref name="startInfo"/> run <paramref name="program"/> as this account; its own arguments follow. setpriv
    /// execs the program (unlike runuser, which forks): the child's pid is the program's.
    /// </summary>
    public void Enter(ProcessStartInfo startInfo, string program)
    {
        startInfo.FileName = SetPriv;
        foreach (var argument in new[] { $"--reuid={Uid}", $"--regid={Gid}", "--clear-groups", "--", program })
        {
            startInfo.ArgumentList.Add(argument);
        }
    }

    /// <summary>Gives <paramref name="directory"/> to this account (.NET has no chown), so that initdb can create a cluster in it.</summary>
    /// <exception cref="InvalidOperationException">When chown fails; the message holds its error.</exception>
    public async Task TakeOwnershipAsync(string directory, CancellationToken cancellationToken)
    {
        using var chown = Process.Start(new ProcessStartInfo("chown", [$"{Uid}:{Gid}", directory])
        {
            UseShellExecute = false,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("Could not start chown.");
        var error = await chown.StandardError.ReadToEndAsync(cancellationToken);
        await chown.WaitForExitAsync(cancellationToken);
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown of {directory} to uid {Uid} failed: {error}");
        }
    }
}
