using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Chain.DevChain;

/// <summary>
/// A local anvil (a real EVM JSON-RPC node from Foundry) run as a child process on a loopback
/// port, for the main job on embedded defaults and for integration tests. Disposing it stops the
/// process.
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    private readonly Process _process;

    private AnvilNode(Process process, Uri rpcUrl, ulong chainId)
    {
        _process = process;
        RpcUrl = rpcUrl;
        ChainId = chainId;
    }

    /// <summary>The node's JSON-RPC endpoint.</summary>
    public Uri RpcUrl { get; }

    /// <summary>The chain id the node reports.</summary>
    public ulong ChainId { get; }

    /// <summary>Starts anvil and returns once its JSON-RPC endpoint answers <c>eth_chainId</c>.</summary>
    /// <exception cref="FileNotFoundException">When no anvil executable is found, or the configured one does not exist.</exception>
    /// <exception cref="TimeoutException">When anvil does not answer within <see cref="AnvilOptions.StartTimeout"/>.</exception>
    /// <exception cref="InvalidOperationException">When anvil exits during start; the message carries its output.</exception>
    public static async Task<AnvilNode> StartAsync(AnvilOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var executable = options.ExecutablePath ?? FindExecutable();
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"No anvil executable at '{executable}'.", executable);
        }

        var port = options.Port != 0 ? options.Port : FreeLoopbackPort();
        var arguments = new List<string>
        {
            "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--chain-id", options.ChainId.ToString(CultureInfo.InvariantCulture),
            // Anvil keeps the last 500 block states in memory and by default writes older ones to
            // disk as full JSON dumps under ~/.foundry/anvil/tmp: megabytes per block, never removed
            // when the process is killed. A dev chain that mines thousands of blocks (the
            // commit-reveal wait) filled 10 GB that way and a CI machine's disk with it.
            "--max-persisted-states", "0",
        };
        if (options.BlockTimeSeconds is { } blockTime)
        {
            arguments.AddRange(["--block-time", blockTime.ToString(CultureInfo.InvariantCulture)]);
        }

        if (options.StatePath is { } state)
        {
            arguments.AddRange(["--state", state]);
        }

        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        arguments.ForEach(startInfo.ArgumentList.Add);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Remember(output, e.Data);
        process.ErrorDataReceived += (_, e) => Remember(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var node = new AnvilNode(process, new Uri($"http://127.0.0.1:{port}"), options.ChainId);
        try
        {
            await node.WaitUntilReadyAsync(options.StartTimeout, output, cancellationToken);
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>A <see cref="Web3"/> client on this node that signs with <paramref name="account"/>.</summary>
    public Web3 Web3For(Nethereum.Web3.Accounts.Account account) => new(account, RpcUrl.ToString());

    /// <summary>Sets an account's balance (anvil's <c>anvil_setBalance</c>): how dev accounts get funded.</summary>
    public async Task SetBalanceAsync(EvmAddress account, BigInteger wei, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = new RpcClient(RpcUrl);
        await client.SendRequestAsync(new RpcRequest(1, "anvil_setBalance", account.ToString(), new HexBigInteger(wei).HexValue));
    }

    /// <summary>Moves the chain's clock forward and mines a block (<c>evm_increaseTime</c> + <c>evm_mine</c>).</summary>
    public async Task IncreaseTimeAsync(TimeSpan by, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var client = new RpcClient(RpcUrl);
        await client.SendRequestAsync(new RpcRequest(1, "evm_increaseTime", (long)by.TotalSeconds));
        cancellationToken.ThrowIfCancellationRequested();
        await client.SendRequestAsync(new RpcRequest(2, "evm_mine"));
    }

    /// <summary>
    /// Mines empty blocks (<c>anvil_mine</c>) until the latest block is at least <paramref name="blockNumber"/>: this
    /// node mines only per transaction, so a model commitment would otherwise never age. A <see cref="Clients.BlockWaiter"/>.
    /// </summary>
    public Task MineUntilAsync(ulong blockNumber, CancellationToken cancellationToken = default) =>
        MinerAt(RpcUrl)(blockNumber, cancellationToken);

    /// <summary>
    /// A <see cref="Clients.BlockWaiter"/> that mines empty blocks with <c>anvil_mine</c> on the dev chain at
    /// <paramref name="rpcUrl"/> (an anvil, or any node that speaks <c>anvil_mine</c>) instead of waiting for them.
    /// </summary>
    public static Clients.BlockWaiter MinerAt(Uri rpcUrl) => async (blockNumber, cancellationToken) =>
    {
        cancellationToken.ThrowIfCancellationRequested();
        var latest = (ulong)(await new Web3(rpcUrl.ToString()).Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        if (latest < blockNumber)
        {
            await new RpcClient(rpcUrl).SendRequestAsync(new RpcRequest(1, "anvil_mine", new HexBigInteger(blockNumber - latest).HexValue));
        }
    };

    /// <summary>The timestamp of the latest block.</summary>
    public async Task<DateTimeOffset> LatestBlockTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var web3 = new Web3(RpcUrl.ToString());
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest());
        return DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, IEnumerable<string> output, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var web3 = new Web3(RpcUrl.ToString());
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"anvil exited with code {_process.ExitCode} during start: {string.Join(Environment.NewLine, output)}");
            }

            try
            {
                var chainId = await web3.Eth.ChainId.SendRequestAsync();
                if (chainId.Value == ChainId)
                {
                    return;
                }
            }
            catch (Exception e) when (e is RpcClientUnknownException or HttpRequestException or RpcClientTimeoutException)
            {
                // Not listening yet.
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"anvil did not answer on {RpcUrl} within {timeout}.");
            }
        }
    }

    private static void Remember(System.Collections.Concurrent.ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 50 && output.TryDequeue(out _))
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("ANVIL_PATH") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "contracts", "node_modules", ".bin", "anvil");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException(
            "No anvil found: set ANVIL_PATH, or run `npm ci` in contracts/ (scripts/bootstrap.sh does) so that contracts/node_modules/.bin/anvil exists.");
    }
}
