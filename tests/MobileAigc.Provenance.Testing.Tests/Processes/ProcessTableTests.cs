using System.Diagnostics;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Testing.Tests.Processes;

/// <summary><see cref="ProcessTable"/> on this process and on a real child (<c>sleep</c>).</summary>
public sealed class ProcessTableTests
{
    // pid_max is at most 2^22: no process has this pid.
    private const int NoSuchPid = 9_999_999;

    [Fact]
    public void ThisProcess_IsAliveWithAStableStartTime()
    {
        Assert.True(ProcessTable.IsAlive(Environment.ProcessId));
        var started = ProcessTable.StartTime(Environment.ProcessId);
        Assert.NotNull(started);
        Assert.True(ulong.TryParse(started, out _), started);
        Assert.Equal(started, ProcessTable.StartTime(Environment.ProcessId));
    }

    [Fact]
    public void NoSuchProcess_IsNotAliveAndHasNoStartTime()
    {
        Assert.False(ProcessTable.IsAlive(NoSuchPid));
        Assert.Null(ProcessTable.StartTime(NoSuchPid));
        Assert.Empty(ProcessTable.ChildrenOf(NoSuchPid));
        ProcessTable.KillQuietly(NoSuchPid);
    }

    [Fact]
    public async Task Child_IsListedUnderItsParent_UntilKilled()
    {
        using var child = Process.Start("sleep", "600");
        try
        {
            Assert.Contains(child.Id, ProcessTable.ChildrenOf(Environment.ProcessId));
            Assert.True(ProcessTable.IsAlive(child.Id));

            ProcessTable.KillQuietly(child.Id);
            await child.WaitForExitAsync();

            // Reaped or a zombie: not alive either way.
            Assert.False(ProcessTable.IsAlive(child.Id));
            Assert.Null(ProcessTable.StartTime(child.Id));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
            }
        }
    }
}
