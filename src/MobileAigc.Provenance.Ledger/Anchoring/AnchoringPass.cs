using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Anchoring;

/// <summary>
/// What one pass of the worker reads of the chain, all at one block (the node's latest when the pass starts), so
/// that the batches' roots, the anchorer's sequence and its nonce are seen in one consistent state; and the nonces
/// the pass hands out.
/// </summary>
internal sealed class AnchoringPass
{
    private readonly LedgerChain _chain;
    private long _nextNonce;

    private AnchoringPass(LedgerChain chain, EvmAddress anchorer, ulong latest, long minedNonce, long highestStoredNonce)
    {
        _chain = chain;
        Anchorer = anchorer;
        Latest = latest;
        AtLatest = new BlockParameter(latest);
        MinedNonce = minedNonce;
        _nextNonce = highestStoredNonce + 1;
    }

    /// <summary>The anchorer account.</summary>
    public EvmAddress Anchorer { get; }

    /// <summary>The block the pass reads at.</summary>
    public ulong Latest { get; }

    /// <summary><see cref="Latest"/> as a block parameter.</summary>
    public BlockParameter AtLatest { get; }

    /// <summary>How many transactions of the anchorer are mined at <see cref="Latest"/>: every nonce below it is used.</summary>
    public long MinedNonce { get; }

    /// <summary>
    /// Whether the pass has met the first batch the chain does not hold yet (whose first sequence must be the
    /// anchorer's next sequence on chain; the later ones follow it in the ledger).
    /// </summary>
    public bool MetFirstUnanchored { get; set; }

    /// <summary>Reads the latest block and the anchorer's mined nonce at it.</summary>
    /// <param name="chain">The chain.</param>
    /// <param name="highestStoredNonce">The highest nonce an unfinished batch holds, or -1: new nonces go above it.</param>
    public static async Task<AnchoringPass> ReadAsync(LedgerChain chain, long highestStoredNonce)
    {
        var anchorer = chain.Anchorer ?? throw new InvalidOperationException("This replica has no anchorer key.");
        var latest = (ulong)(await chain.Web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var mined = (long)(await chain.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(
            anchorer.ToString(), new BlockParameter(latest))).Value;
        return new AnchoringPass(chain, anchorer, latest, mined, highestStoredNonce);
    }

    /// <summary>
    /// The nonce for a batch that has none: above every nonce the ledger's batches hold and every nonce used on chain
    /// at <see cref="Latest"/>, so that it never reuses a nonce a stored batch relies on.
    /// </summary>
    /// <returns>
    /// The nonce; or null while the account has transactions the ledger did not record, pending or mined after
    /// <see cref="Latest"/> (one may be this batch's, sent by a worker that crashed before storing it, or by an older
    /// version): the batch waits for the next pass, which sees where they went.
    /// </returns>
    public async Task<long?> TakeNonceAsync()
    {
        var pending = (long)(await _chain.Web3.Eth.Transactions.GetTransactionCount.SendRequestAsync(
            Anchorer.ToString(), BlockParameter.CreatePending())).Value;
        var known = Math.Max(_nextNonce, MinedNonce);
        if (pending > known)
        {
            return null;
        }

        _nextNonce = known + 1;
        return known;
    }

    /// <summary>Notes a nonce a batch holds, so that <see cref="TakeNonceAsync"/> stays above it.</summary>
    public void Hold(long nonce) => _nextNonce = Math.Max(_nextNonce, nonce + 1);
}
