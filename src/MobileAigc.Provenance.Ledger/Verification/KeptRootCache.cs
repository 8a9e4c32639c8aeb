using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>A batch root read on chain with its confirmations: who anchored it and when and at which block it was read.</summary>
/// <param name="Anchorer">The account that anchored it, one of the deployment's anchorers.</param>
/// <param name="Checkpoint">The reading (always <see cref="RootCheckpoint.Final"/>).</param>
public sealed record KeptRoot(EvmAddress Anchorer, RootCheckpoint Checkpoint);

/// <summary>
/// The batch roots <see cref="AnchoredRootCheck"/> found final on chain, in memory, at most about
/// <see cref="VerificationOptions.KeptRootCapacity"/> of them.
/// </summary>
/// <remarks>
/// <para>Two generations (<see cref="TwoGenerationCache{TKey, TValue}"/>): a root read often stays, one not read for a whole
/// generation goes, and the cache never holds more than twice the capacity.</para>
/// <para>Thread safety: any number of concurrent readers and writers. A root may briefly be in both generations; both
/// copies hold the same reading.</para>
/// <para>Kept in memory only, on purpose: a reading kept in the database would be the ledger's word, which verification
/// re-checks rather than repeats (an altered database could plant a "checked" mark beside a forged root). A restart costs
/// one chain read per distinct root asked for, and a root covers a whole batch.</para>
/// </remarks>
public sealed class KeptRootCache
{
    private readonly TwoGenerationCache<RootKey, KeptRoot> _roots;

    /// <summary>A cache of about <paramref name="capacity"/> roots (at most twice that).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public KeptRootCache(int capacity) => _roots = new TwoGenerationCache<RootKey, KeptRoot>(capacity);

    /// <summary>How many roots are kept now (both generations; a root in both counts twice).</summary>
    public int Count => _roots.Count;

    /// <summary>The reading kept for <paramref name="root"/> on the <c>ProvenanceLedger</c> at <paramref name="contract"/>, if any.</summary>
    public bool TryGet(EvmAddress contract, Bytes32 root, out KeptRoot kept) => _roots.TryGet(new RootKey(contract, root), out kept);

    /// <summary>Keeps a final reading of <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">When the reading is not final: only a root with its confirmations may be kept.</exception>
    public void Keep(EvmAddress contract, Bytes32 root, KeptRoot kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (!kept.Checkpoint.Final)
        {
            throw new ArgumentException("Only a root read with its confirmations may be kept.", nameof(kept));
        }

        _roots.Set(new RootKey(contract, root), kept);
    }

    private readonly record struct RootKey(EvmAddress Contract, Bytes32 Root);
}
