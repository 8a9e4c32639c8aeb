using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>What the chain says about a batch root: the outcome, in words, who anchored it, and the reading it rests on.</summary>
/// <param name="Outcome">Agrees (anchored by one of the deployment's anchorers), disagrees (absent, or anchored by another account) or not checked (the chain did not answer).</param>
/// <param name="Detail">What was read, for the answer.</param>
/// <param name="Anchorer">The account the contract names as the root's anchorer; null when not read or absent.</param>
/// <param name="Checkpoint">The reading; null when the chain did not answer.</param>
public sealed record RootCheckResult(ClaimCheckOutcome Outcome, string Detail, EvmAddress? Anchorer, RootCheckpoint? Checkpoint);

/// <summary>
/// Whether a batch root is on a deployment's <c>ProvenanceLedger</c>, anchored by that deployment's anchorer: the one place
/// verification reads the chain for a root (<c>anchorerOfRoot(bytes32)</c> at a block, and the head's number).
/// </summary>
/// <remarks>
/// <para>A root that the contract already held at the head minus <see cref="LedgerChainOptions.Confirmations"/> is final (the
/// ledger's anchoring trusts the same depth): the reading is kept in <see cref="KeptRootCache"/> and every later request is
/// answered from it without a chain call, even while the chain is unreachable. A root more recent than that is read at the head
/// and not kept, so a reorganisation that drops it shows at the next request. A root the contract does not hold, or holds from
/// another anchorer, is not kept either.</para>
/// <para>Concurrent requests for the same root that is not kept share one reading (one chain round trip however many ask),
/// bounded by <see cref="VerificationOptions.OnChainCheckTimeout"/>; a caller's cancellation stops its wait, not the reading.</para>
/// <para>Thread-safe; meant to be a singleton.</para>
/// </remarks>
public sealed partial class AnchoredRootCheck
{
    private readonly LedgerChain _chain;
    private readonly KeptRootCache _kept;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(EvmAddress Contract, Bytes32 Root), Lazy<Task<RootCheckResult>>> _reading = new();

    /// <summary>Creates the check over <paramref name="chain"/>, keeping final roots in <paramref name="kept"/>.</summary>
    public AnchoredRootCheck(LedgerChain chain, KeptRootCache kept, IOptions<VerificationOptions> options, TimeProvider time, ILogger<AnchoredRootCheck> logger)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _chain = chain;
        _kept = kept;
        _timeout = options.Value.OnChainCheckTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>Checks <paramref name="root"/> on <paramref name="deployment"/>'s contract: from the kept reading when there is one, else on chain.</summary>
    /// <remarks>Never throws for the chain's sake: an unreachable chain gives <see cref="ClaimCheckOutcome.NotChecked"/>.</remarks>
    public async Task<RootCheckResult> CheckAsync(LedgerDeployment deployment, Bytes32 root, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        if (_kept.TryGet(deployment.Address, root, out var kept))
        {
            return Agreed(deployment, kept.Anchorer, kept.Checkpoint);
        }

        var reading = _reading.GetOrAdd((deployment.Address, root), _ => new Lazy<Task<RootCheckResult>>(() => ReadAsync(deployment, root)));
        return await reading.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<RootCheckResult> ReadAsync(LedgerDeployment deployment, Bytes32 root)
    {
        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            return await ReadOnChainAsync(deployment, root, timeout.Token).WaitAsync(_timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && timeout.IsCancellationRequested))
        {
            LogChainAway(_logger, null);
            return new RootCheckResult(ClaimCheckOutcome.NotChecked,
                $"The chain did not answer within {_timeout.TotalSeconds:0.#} s; the root could not be checked, and it was never checked before by this ledger process.", null, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogChainAway(_logger, e);
            return new RootCheckResult(ClaimCheckOutcome.NotChecked,
                "The chain could not be reached; the root could not be checked, and it was never checked before by this ledger process.", null, null);
        }
        finally
        {
            _reading.TryRemove((deployment.Address, root), out _);
        }
    }

    private async Task<RootCheckResult> ReadOnChainAsync(LedgerDeployment deployment, Bytes32 root, CancellationToken cancellationToken)
    {
        var head = (long)(await _chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        var settled = head - _chain.Options.Confirmations;
        if (settled >= 0 && await ReadAnchorerAsync(deployment, root, settled, cancellationToken).ConfigureAwait(false) is { } anchorer)
        {
            var checkpoint = new RootCheckpoint(settled, _time.GetUtcNow(), Final: true);
            if (!deployment.Anchorers.Contains(anchorer))
            {
                return Foreign(deployment, anchorer, checkpoint);
            }

            _kept.Keep(deployment.Address, root, new KeptRoot(anchorer, checkpoint));
            return Agreed(deployment, anchorer, checkpoint);
        }

        // Too recent to be final (or gone): read at the head, and keep nothing.
        var recent = new RootCheckpoint(head, _time.GetUtcNow(), Final: false);
        return await ReadAnchorerAsync(deployment, root, head, cancellationToken).ConfigureAwait(false) switch
        {
            null => new RootCheckResult(ClaimCheckOutcome.Disagrees, $"ProvenanceLedger {deployment.Address} does not hold this root (read at block {head}).", null, recent),
            { } by when deployment.Anchorers.Contains(by) => new RootCheckResult(ClaimCheckOutcome.Agrees,
                $"ProvenanceLedger {deployment.Address} ({Role(deployment)} deployment) confirmed the root, anchored by this ledger's anchorer {by}, at block {head}, "
                + $"with fewer than {_chain.Options.Confirmations} confirmations: it is read again at the next request until it has them.", by, recent),
            { } by => Foreign(deployment, by, recent),
        };
    }

    // The one chain call for a root: if the contract's batch views change, this is the line to adapt.
    private static Task<EvmAddress?> ReadAnchorerAsync(LedgerDeployment deployment, Bytes32 root, long block, CancellationToken cancellationToken) =>
        deployment.Ledger.AnchorerOfRootAtAsync(root, new BlockParameter(new HexBigInteger(block)), cancellationToken);

    private static RootCheckResult Agreed(LedgerDeployment deployment, EvmAddress anchorer, RootCheckpoint checkpoint) => new(
        ClaimCheckOutcome.Agrees,
        $"ProvenanceLedger {deployment.Address} ({Role(deployment)} deployment) confirmed the root, anchored by this ledger's anchorer {anchorer}, "
        + $"at block {checkpoint.Block} with its confirmations (read {checkpoint.CheckedAt:u}; a final root is read once and kept).",
        anchorer,
        checkpoint);

    private static RootCheckResult Foreign(LedgerDeployment deployment, EvmAddress anchorer, RootCheckpoint checkpoint) => new(
        ClaimCheckOutcome.Disagrees,
        $"ProvenanceLedger {deployment.Address} holds the root, but it was anchored by {anchorer}, not by this ledger's anchorer(s) "
        + $"({(deployment.Anchorers.Count == 0 ? "none configured: Ledger:Chain:TrustedAnchorers" : string.Join(", ", deployment.Anchorers))}) (read at block {checkpoint.Block}).",
        anchorer,
        checkpoint);

    private static string Role(LedgerDeployment deployment) => deployment.IsCurrent ? "current" : "previous";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification: the on-chain root check failed; answering without it.")]
    private static partial void LogChainAway(ILogger logger, Exception? exception);
}
