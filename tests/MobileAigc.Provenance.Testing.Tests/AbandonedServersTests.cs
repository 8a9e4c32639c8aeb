using MobileAigc.Provenance.Testing.Postgres;

namespace MobileAigc.Provenance.Testing.Tests;

public sealed class AbandonedServersTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("abandoned-test-");

    [Fact]
    public void RemoveUnder_OwnerExited_RemovesDirectory()
    {
        var abandoned = _root.CreateSubdirectory(AbandonedServers.DirectoryPrefix + "dead");
        // pid_max is at most 2^22: no process has this pid.
        File.WriteAllText(Path.Combine(abandoned.FullName, "owner"), "9999999 1");
        Directory.CreateDirectory(Path.Combine(abandoned.FullName, "data"));
        // A stale pid file that names this very test process: it must not be killed, its command line is not a postgres one.
        File.WriteAllText(Path.Combine(abandoned.FullName, "data", "postmaster.pid"), $"{Environment.ProcessId}\n");

        AbandonedServers.RemoveUnder(_root.FullName);

        Assert.False(Directory.Exists(abandoned.FullName));
    }

    [Fact]
    public void RemoveUnder_OwnerAliveOrUnknown_KeepsDirectory()
    {
        var owned = _root.CreateSubdirectory(AbandonedServers.DirectoryPrefix + "live");
        AbandonedServers.ClaimOwnership(owned.FullName);
        var beingMade = _root.CreateSubdirectory(AbandonedServers.DirectoryPrefix + "new");
        var unrelated = _root.CreateSubdirectory("something-else");
        File.WriteAllText(Path.Combine(unrelated.FullName, "owner"), "9999999 1");

        AbandonedServers.RemoveUnder(_root.FullName);

        Assert.True(Directory.Exists(owned.FullName));
        Assert.True(Directory.Exists(beingMade.FullName));
        Assert.True(Directory.Exists(unrelated.FullName));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
