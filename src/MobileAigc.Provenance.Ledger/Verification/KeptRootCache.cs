using System.Collections.Concurrent;
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
/// <para>Two generations: entries go into the young one; when it is full it becomes the old one and the previous old one is
/// dropped, and a hit in the old one moves the entry back into the young one. So a root read often stays, one not read for
/// a whole generation goes, and the cache never holds more than twice the capacity, without a lock or a per-entry clock.</para>
/// <para>Thread safety: any number of concurrent readers and writers. A root may briefly be in both generations; both
/// copies hold the same reading.</para>
/// <para>Kept in memory only, on purpose: a reading kept in the database would be the ledger's word, which verification
/// re-checks rather than repeats (an altered database could plant a "checked" mark beside a forged root). A restart costs
/// one chain read per distinct root asked for, and a root covers a whole batch.</para>
/// </remarks>
public sealed class KeptRootCache
{
    private readonly int _capacity;
    private readonly Lock _rotation = new();
    private volatile Generations _generations = new(new(), new());

    /// <summary>A cache of about <paramref name="capacity"/> roots (at most twice that).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public KeptRootCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many roots are kept now (both generations; a root in both counts twice).</summary>
    public int Count
    {
        get
        {
            var generations = _generations;
            return generations.Young.Count + generations.Old.Count;
        }
    }

    /// <summary>The reading kept for <paramref name="root"/> on the <c>ProvenanceLedger</c> at <paramref name="contract"/>, if any.</summary>
    public bool TryGet(EvmAddress contract, Bytes32 root, out KeptRoot kept)
    {
        var generations = _generations;
        var key = new RootKey(contract, root);
        if (generations.Young.TryGetValue(key, out kept!))
        {
            return true;
        }

        if (!generations.Old.TryGetValue(key, out kept!))
        {
            return false;
        }

        Keep(key, kept);
        return true;
    }

    /// <summary>Keeps a final reading of <paramref name="root"/>.</summary>
    /// <exception cref="ArgumentException">When the reading is not final: only a root with its confirmations may be kept.</exception>
    public void Keep(EvmAddress contract, Bytes32 root, KeptRoot kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        if (!kept.Checkpoint.Final)
        {
            throw new ArgumentException("Only a root read with its confirmations may be kept.", nameof(kept));
        }

        Keep(new RootKey(contract, root), kept);
    }

    private void Keep(RootKey key, KeptRoot kept)
    {
        var generations = _generations;
        generations.Young[key] = kept;
        if (generations.Young.Count < _capacity)
        {
            return;
        }

        lock (_rotation)
        {
            if (ReferenceEquals(generations, _generations))
            {
                _generations = new Generations(new(), generations.Young);
            }
        }
    }

    private readonly record struct RootKey(EvmAddress Contract, Bytes32 Root);

    private sealed record Generations(ConcurrentDictionary<RootKey, KeptRoot> Young, ConcurrentDictionary<RootKey, KeptRoot> Old);
}
