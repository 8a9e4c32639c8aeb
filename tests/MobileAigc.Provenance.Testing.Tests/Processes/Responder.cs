using System.Globalization;
using System.Net;
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
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Number("--port")}/");
        listener.Start();
        Console.WriteLine(ReadyLine);
        var unready = Number("--unready");
        while (true)
        {
            var context = await listener.GetContextAsync();
            var path = context.Request.Url!.AbsolutePath;
            var (status, body) = path.StartsWith("/env/", StringComparison.Ordinal)
                ? (200, Environment.GetEnvironmentVariable(path["/env/".Length..]) ?? "")
                : unready-- > 0 ? (503, "starting") : (200, "ok");
            context.Response.StatusCode = status;
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
