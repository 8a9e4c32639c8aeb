using System.Net.Sockets;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Testing.Chain;

/// <summary>Deployment files for the tests of the hosts that read them: good ones, and the kinds a host must refuse.</summary>
public static class DeploymentFiles
{
    /// <summary>A deployment on chain 4242 at block 77 whose four addresses all differ (and differ from anvil's first deployments).</summary>
    public static DeploymentFile Sample { get; } = new(
        new ProvenanceContracts(4242, EvmAddress.Parse("0x2222222222222222222222222222222222222222"),
            EvmAddress.Parse("0x3333333333333333333333333333333333333333"), EvmAddress.Parse("0x4444444444444444444444444444444444444444"))
        {
            DeploymentBlock = 77,
        },
        EvmAddress.Parse("0x1111111111111111111111111111111111111111"));

    /// <summary>Writes <paramref name="deployment"/> (default <see cref="Sample"/>) to <c>deployment.json</c> in <paramref name="directory"/>; returns the path.</summary>
    public static async Task<string> WriteAsync(string directory, DeploymentFile? deployment = null)
    {
        var path = Path.Combine(directory, "deployment.json");
        await (deployment ?? Sample).WriteAsync(path, overwrite: true);
        return path;
    }

    /// <summary>
    /// A file that exists but cannot be opened for reading, even by root: a Unix domain socket bound at
    /// <paramref name="path"/> (opening it fails with ENXIO). Dispose the socket to remove it.
    /// </summary>
    public static Socket Unreadable(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
