using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MobileAigc.Provenance.Testing.Network;

namespace MobileAigc.Provenance.Ledger.Tests.Anchoring;

/// <summary>
/// A loopback TCP relay in front of the chain node: <see cref="Pause"/> refuses new connections
/// and cuts open ones, exactly what a client sees when its node goes away; <see cref="Resume"/>
/// serves again on the same port.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly Uri _target;
    private readonly ConcurrentDictionary<TcpClient, byte> _connections = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    private TcpRelay(Uri target, int port)
    {
        _target = target;
        Port = port;
    }

    /// <summary>The relay's port.</summary>
    public int Port { get; }

    /// <summary>The relayed endpoint.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts relaying to <paramref name="target"/> on a free loopback port.</summary>
    public static TcpRelay Start(Uri target)
    {
        var relay = new TcpRelay(target, FreePorts.Loopback());
        relay.Resume();
        return relay;
    }

    /// <summary>Serves again.</summary>
    public void Resume()
    {
        _stop = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _stop.Token);
    }

    /// <summary>Stops serving and cuts every open connection.</summary>
    public void Pause()
    {
        _stop?.Cancel();
        _listener?.Stop();
        foreach (var connection in _connections.Keys)
        {
            connection.Dispose();
        }

        _connections.Clear();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Pause();
        _stop?.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var inbound = await listener.AcceptTcpClientAsync(cancellationToken);
                _ = RelayAsync(inbound, cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Paused.
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cancellationToken)
    {
        var outbound = new TcpClient();
        _connections[inbound] = 0;
        _connections[outbound] = 0;
        try
        {
            await outbound.ConnectAsync(_target.Host, _target.Port, cancellationToken);
            var a = inbound.GetStream();
            var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Cut by Pause or by either side.
        }
        finally
        {
            _connections.TryRemove(inbound, out _);
            _connections.TryRemove(outbound, out _);
            inbound.Dispose();
            outbound.Dispose();
        }
    }
}
