using System.Collections.Concurrent;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// A bounded in-memory map for values that never go stale (a reading that cannot change, a pure function's result): at most
/// about twice <c>capacity</c> entries, those read often kept.
/// </summary>
/// <remarks>
/// <para>Two generations: entries go into the young one; when it is full it becomes the old one and the previous old one is
/// dropped, and a hit in the old one moves the entry back into the young one. So an entry read often stays, one not read for
/// a whole generation goes, and the cache never holds more than twice the capacity, without a lock on reads or a per-entry clock.</para>
/// <para>Thread safety: any number of concurrent readers and writers. An entry may briefly be in both generations; callers
/// store only values that are the same whoever computes them, so both copies agree.</para>
/// </remarks>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The value.</typeparam>
internal sealed class TwoGenerationCache<TKey, TValue>
    where TKey : notnull
{
    private readonly int _capacity;
    private readonly Lock _rotation = new();
    private volatile Generations _generations = new(new(), new());

    /// <summary>A cache of about <paramref name="capacity"/> entries (at most twice that).</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="capacity"/> is below 1.</exception>
    public TwoGenerationCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    /// <summary>How many entries are held now (both generations; an entry in both counts twice).</summary>
    public int Count
    {
        get
        {
            var generations = _generations;
            return generations.Young.Count + generations.Old.Count;
        }
    }

    /// <summary>The value held for <paramref name="key"/>, if any; a hit keeps the entry for another generation.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        var generations = _generations;
        if (generations.Young.TryGetValue(key, out value!))
        {
            return true;
        }

        if (!generations.Old.TryGetValue(key, out value!))
        {
            return false;
        }

        Set(key, value);
        return true;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="key"/>.</summary>
    public void Set(TKey key, TValue value)
    {
        var generations = _generations;
        generations.Young[key] = value;
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

    private sealed record Generations(ConcurrentDictionary<TKey, TValue> Young, ConcurrentDictionary<TKey, TValue> Old);
}
