using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.Testing.Network;

/// <summary>TCP ports on loopback for the servers a test starts.</summary>
/// <remarks>
/// Thread-safe. A port is free when it is handed out; another process may still take it before the server binds it, so
/// a server that fails to bind should be started again on another one. Within one process, a port is never handed out
/// twice: tests that start servers in parallel do not race each other for the same one.
/// </remarks>
public static class FreePorts
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>A loopback TCP port that nothing listens on now and that this process has not handed out before.</summary>
    /// <exception cref="InvalidOperationException">When the system gave only ports already handed out, 100 times in a row.</exception>
    public static int Loopback()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // Port 0: the kernel picks from its ephemeral range one that nothing is bound to.
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (HandedOut.TryAdd(port, 0))
            {
                return port;
            }
        }

        throw new InvalidOperationException("No loopback port that this process has not handed out already.");
    }
}
