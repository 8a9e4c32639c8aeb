using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using MobileAigc.Provenance.Testing.Processes;

namespace MobileAigc.Provenance.Testing.C2pa;

/// <summary>
/// The harness's <c>serve.mjs</c> under Node: one JSON line in, one JSON line out. A request that times out, or a
/// process that ends, leaves it stopped (<see cref="HasStopped"/>): every later exchange fails with node's stderr in
/// the message.
/// </summary>
/// <remarks>Not thread-safe: <see cref="C2paSdk"/> lets one exchange through at a time.</remarks>
internal sealed class C2paSdkProcess : IAsyncDisposable
{
    private const string ReadyLine = """{"ready":true}""";

    private readonly Process _process;
    private readonly CapturedOutput _stderr = new(null);
    private string? _stopped;

    private C2paSdkProcess(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) => _stderr.Append(e.Data);
    }

    /// <summary>Starts node on <c>serve.mjs</c> in <paramref name="harnessFolder"/> and waits for its ready line.</summary>
    public static async Task<C2paSdkProcess> StartAsync(string harnessFolder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = harnessFolder,
        };
        startInfo.ArgumentList.Add("serve.mjs");
        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new C2paSdkException("node did not start.");
        }
        catch (Win32Exception e)
        {
            throw new C2paSdkException("node (20+) is needed to run the official C2PA SDK and could not be started.", e);
        }

        var sdk = new C2paSdkProcess(process);
        process.BeginErrorReadLine();
        try
        {
            var first = await sdk.ReadLineAsync(timeout, "start", cancellationToken);
            if (first != ReadyLine)
            {
                throw sdk.Stop($"node serve.mjs began with '{first}' instead of {ReadyLine}");
            }

            return sdk;
        }
        catch
        {
            await sdk.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether it can no longer answer: stopped after a failed exchange, or node has ended.</summary>
    public bool HasStopped => _stopped is not null || _process.HasExited;

    /// <summary>Takes it out of use without killing it: node said it is ending (<paramref name="reason"/>).</summary>
    public void MarkEnding(string reason) => _stopped ??= reason;

    /// <summary>Sends <paramref name="requestLine"/> and returns the line that answers it.</summary>
    /// <exception cref="C2paSdkException">When the process has stopped, stops now, or does not answer within <paramref name="timeout"/>.</exception>
    public async Task<string> ExchangeAsync(string requestLine, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        ThrowIfStopped();
        try
        {
            await _process.StandardInput.WriteLineAsync(requestLine.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        catch (IOException e)
        {
            throw Stop($"node serve.mjs could not be sent the {what} ({e.Message})");
        }

        return await ReadLineAsync(timeout, what, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // Closing stdin ends serve.mjs's loop; a process that does not take the hint is killed.
            try
            {
                _process.StandardInput.Close();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is IOException or TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _stderr.Dispose();
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        string? line;
        try
        {
            // The read itself cannot always be cancelled on a pipe: the wait is, and stopping the process ends the read.
            line = await _process.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw Stop($"node serve.mjs did not answer the {what} within {timeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            // A half-read answer would be taken for the next request's: the process cannot be used again.
            Stop($"the {what} was cancelled");
            throw;
        }

        return line ?? throw Stop($"node serve.mjs ended during the {what}");
    }

    private void ThrowIfStopped()
    {
        if (_stopped is not null)
        {
            throw new C2paSdkException($"The official C2PA SDK's process has stopped: {_stopped}.");
        }
    }

    private C2paSdkException Stop(string reason)
    {
        _stopped ??= reason;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        var exit = _process.ExitCode;
        return new C2paSdkException($"{reason} (exit code {exit}). node's stderr:\n{_stderr.Text()}");
    }
}
