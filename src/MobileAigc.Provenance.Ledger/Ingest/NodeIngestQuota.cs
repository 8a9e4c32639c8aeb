using MobileAigc.Provenance.Core.Primitives;

namespace MobileAigc.Provenance.Ledger.Ingest;

/// <summary>
/// How many records each node may submit per window (<see cref="RecordIngestOptions.NodeQuotaRecords"/>
/// per <see cref="RecordIngestOptions.NodeQuotaWindow"/>, a fixed window per node starting at its first
/// record): one node, broken or hostile, cannot fill the ledger's storage and anchoring for all.
/// </summary>
/// <remarks>
/// Charged only for records whose signature is the node's and whose node is registered, so nobody can
/// spend another node's quota, and the windows held are bounded by the registered nodes. Held in
/// memory per replica: with several replicas a node may submit up to the quota at each. Thread-safe.
/// </remarks>
public sealed class NodeIngestQuota
{
    private readonly int _records;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Dictionary<EvmAddress, (DateTimeOffset Start, int Used)> _windows = [];
    private readonly Lock _lock = new();

    /// <summary>Creates the quota.</summary>
    /// <param name="records">Records per node and window; at least 1.</param>
    /// <param name="window">The window; positive.</param>
    /// <param name="time">The clock.</param>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="records"/> or <paramref name="window"/> is not positive.</exception>
    public NodeIngestQuota(int records, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(records, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(time);
        _records = records;
        _window = window;
        _time = time;
    }

    /// <summary>
    /// Takes up to <paramref name="wanted"/> records from <paramref name="node"/>'s current window and
    /// returns how many it got (0 when the window is spent), with when the window reopens.
    /// </summary>
    public (int Granted, DateTimeOffset ReopensAt) Take(EvmAddress node, int wanted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanted);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_windows.Count > 4_096)
            {
                // Nodes that stopped submitting: their windows are over and say nothing any more.
                foreach (var stale in _windows.Where(w => now >= w.Value.Start + _window).Select(w => w.Key).ToList())
                {
                    _windows.Remove(stale);
                }
            }

            var (start, used) = _windows.TryGetValue(node, out var current) && now < current.Start + _window ? current : (now, 0);
            var granted = Math.Min(wanted, _records - used);
            _windows[node] = (start, used + granted);
            return (granted, start + _window);
        }
    }
}
