using System.Net;
using System.Net.Sockets;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>The loopback ports of the local network; 0 means a free port chosen at start.</summary>
/// <param name="Anvil">The chain node's JSON-RPC port.</param>
/// <param name="Ledger">The ledger service's port (web page, API reference, API).</param>
/// <param name="Node">The edge node's port.</param>
internal sealed record LocalPorts(int Anvil, int Ledger, int Node)
{
    /// <summary>A free port for each, chosen at start: a round trip that ends never collides with anything.</summary>
    public static LocalPorts AnyFree { get; } = new(0, 0, 0);

    /// <summary>
    /// Checks that each fixed port can be listened on at 127.0.0.1 now, before anything starts, so that a port in use
    /// stops the demo with the option to change rather than a service failing halfway.
    /// </summary>
    /// <exception cref="InvalidOperationException">When a port is in use (the message names it and its option).</exception>
    public void EnsureFree()
    {
        foreach (var (port, option) in new[] { (Anvil, "--anvil-port"), (Ledger, "--ledger-port"), (Node, "--node-port") }.Where(p => p.Item1 != 0))
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                throw new InvalidOperationException($"Port {port} on 127.0.0.1 is in use ({e.Message}): stop what listens there or choose another port with {option}.", e);
            }
            finally
            {
                listener.Stop();
            }
        }

        if (new[] { Anvil, Ledger, Node }.Where(p => p != 0).GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException($"Port {twice.Key} is given to two services (--anvil-port, --ledger-port, --node-port must differ).");
        }
    }

    /// <summary>The loopback URL of <paramref name="port"/>, or of a free port when it is 0.</summary>
    public static Uri Loopback(int port)
    {
        if (port == 0)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        return new Uri($"http://127.0.0.1:{port}/");
    }
}
