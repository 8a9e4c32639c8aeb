using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MobileAigc.Provenance.Testing.Tests.Processes;

/// <summary>
/// The child process of the <see cref="HostProcessTests"/>: this test assembly run by <c>dotnet</c>, a tiny HTTP server
/// whose start can be made slow, failing or endless, so that the launcher is tested on a real process without a real host.
/// </summary>
/// <remarks>
/// Arguments: <c>--port N</c> (required), <c>--listen-after-ms M</c> (wait before listening), <c>--unready N</c> (answer
/// 503 to the first N requests), <c>--exit C</c> (exit with code C instead of listening), <c>--never-listen</c>. It prints
/// a line on stdout and one on stderr, and answers <c>GET /env/NAME</c> with that environment variable's value.
/// </remarks>
internal static class Responder
{
    public const string ReadyLine = "responder: listening";
    public const string ErrorLine = "responder: a line on stderr";

    public static async Task<int> Main(string[] args)
    {
        var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1]);
        int Number(string name) => options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;

        await Console.Error.WriteLineAsync(ErrorLine);
        if (args.Contains("--echo-stdin"))
        {
            Console.Write(await Console.In.ReadToEndAsync());
            return 0;
        }

        if (options.ContainsKey("--exit"))
        {
            Console.WriteLine("responder: exiting as asked");
            return Number("--exit");
        }

        if (args.Contains("--never-listen"))
        {
            await Task.Delay(Timeout.Infinite);
        }

        // The slow start under test: the launcher must keep asking until this is over.
        await Task.Delay(Number("--listen-after-ms"));

        // A plain socket, not HttpListener: the managed HttpListener can crash in Start() when a connection
        // arrives while it is still starting (a null lock in HttpEndPointListener.ProcessAccept), and the
        // launcher under test polls the port exactly then.
        var listener = new TcpListener(IPAddress.Loopback, Number("--port"));
        listener.Start();
        Console.WriteLine(ReadyLine);
        var unready = Number("--unready");
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync();
            await using var stream = client.GetStream();
            if (await ReadRequestPathAsync(stream) is not { } path)
            {
                continue;
            }

            var (status, body) = path.StartsWith("/env/", StringComparison.Ordinal)
                ? (200, Environment.GetEnvironmentVariable(path["/env/".Length..]) ?? "")
                : unready-- > 0 ? (503, "starting") : (200, "ok");
            var bytes = Encoding.UTF8.GetBytes(body);
            var head = string.Create(CultureInfo.InvariantCulture,
                $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Service Unavailable")}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(bytes);
        }
    }

    /// <summary>The path of the request line once the whole head has arrived (at most 16 KiB), or null for anything else.</summary>
    private static async Task<string?> ReadRequestPathAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var buffer = new byte[1024];
        while (head.Count < 16 * 1024)
        {
            var read = await stream.ReadAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            head.AddRange(buffer.AsSpan(0, read));
            var text = Encoding.ASCII.GetString([.. head]);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var parts = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return parts.Length == 3 ? Uri.UnescapeDataString(parts[1].Split('?')[0]) : null;
            }
        }

        return null;
    }
}
