using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MobileAigc.Provenance.Cli.Demo.LocalNetwork;

/// <summary>The official C2PA SDK's verdict on one file: its validation state and failure codes, or why there is none.</summary>
/// <param name="State"><c>Valid</c>, <c>Invalid</c> or <c>Trusted</c>; null when it found no store or refused the file.</param>
/// <param name="FailureCodes">The active manifest's failure codes.</param>
/// <param name="Note">No manifest store, or the SDK's reason for refusing the file.</param>
internal sealed record OfficialSdkVerdict(string? State, IReadOnlyList<string> FailureCodes, string? Note);

/// <summary>
/// The official C2PA SDK (<c>tools/c2pa-sdk/read.mjs</c>, c2pa-rs compiled to wasm, run by <c>node</c>) reading a file
/// the demo wrote: the same oracle the interoperability tests use, here on the demo's own image.
/// </summary>
internal sealed class OfficialC2paSdk
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _folder;

    private OfficialC2paSdk(string folder) => _folder = folder;

    /// <summary>
    /// The harness in the repository this CLI was built in, or null with the reason when it is not installed there
    /// (<c>scripts/bootstrap.sh</c> installs it) or this CLI does not run from a repository build.
    /// </summary>
    public static OfficialC2paSdk? Find(out string? missing)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MobileAigc.Provenance.sln")))
            {
                var folder = Path.Combine(dir.FullName, "tools", "c2pa-sdk");
                missing = Directory.Exists(Path.Combine(folder, "node_modules", "@contentauth", "c2pa-wasm"))
                    ? null
                    : $"the SDK is not installed in {folder} (scripts/bootstrap.sh installs it)";
                return missing is null ? new OfficialC2paSdk(folder) : null;
            }
        }

        missing = "this CLI does not run from a repository build, where tools/c2pa-sdk lives";
        return null;
    }

    /// <summary>Reads <paramref name="path"/> (<paramref name="mime"/> <c>image/png</c> or <c>image/jpeg</c>) with no trust anchors.</summary>
    /// <returns>The verdict, or no verdict and the failure when node is missing, fails or takes over a minute.</returns>
    public async Task<(OfficialSdkVerdict? Verdict, string? Failure)> ReadAsync(string path, string mime, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node") { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("read.mjs");
        start.ArgumentList.Add(path);
        start.ArgumentList.Add(mime);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("node did not start");
        }
        catch (Win32Exception e)
        {
            return (null, $"node is not available ({e.Message})");
        }

        using (process)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(Timeout);
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
                return Parse(await output, process.ExitCode, await error);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return (null, $"node read.mjs took over {Timeout.TotalSeconds:0} s");
            }
        }
    }

    private static (OfficialSdkVerdict?, string?) Parse(string output, int exitCode, string error)
    {
        JsonObject? store;
        try
        {
            store = JsonNode.Parse(output) as JsonObject;
        }
        catch (JsonException)
        {
            store = null;
        }

        if (store is null || exitCode is not (0 or 1))
        {
            return (null, $"node read.mjs exited {exitCode}: {error.Trim()}");
        }

        if (store["no_manifest"]?.GetValue<bool>() == true)
        {
            return (new OfficialSdkVerdict(null, [], "no manifest store"), null);
        }

        if (store["rejected"]?.GetValue<bool>() == true)
        {
            return (new OfficialSdkVerdict(null, [], "refused: " + store["error"]?.GetValue<string>()), null);
        }

        var failures = store["validation_results"]?["activeManifest"]?["failure"] as JsonArray ?? [];
        return (new OfficialSdkVerdict(
            store["validation_state"]?.GetValue<string>(),
            [.. failures.Select(status => status?["code"]?.GetValue<string>() ?? "?")],
            null), null);
    }
}
