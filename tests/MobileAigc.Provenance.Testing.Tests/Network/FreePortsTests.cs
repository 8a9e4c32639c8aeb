using System.Net;
using System.Net.Sockets;
using MobileAigc.Provenance.Testing.Network;

namespace MobileAigc.Provenance.Testing.Tests.Network;

public sealed class FreePortsTests
{
    [Fact]
    public void Loopback_ManyCalls_GivesDistinctPortsEachFreeToBind()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Loopback()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        foreach (var port in ports)
        {
            Assert.InRange(port, 1024, 65535);
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public async Task Loopback_CalledInParallel_NeverGivesOnePortTwice()
    {
        var ports = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(FreePorts.Loopback)));

        Assert.Equal(ports.Length, ports.Distinct().Count());
    }

    [Fact]
    public void Loopback_APortInUse_IsNotGiven()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port;

        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Loopback());

        Assert.DoesNotContain(busy, ports);
    }
}
