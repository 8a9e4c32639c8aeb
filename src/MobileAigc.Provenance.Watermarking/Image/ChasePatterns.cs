namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The test patterns of Chase decoding, most likely first: sets of bits to flip, in increasing order of the summed
/// reliability of the flipped bits (for log-likelihood ratios, the patterns in decreasing order of likelihood), starting
/// with the empty set (the hard decision itself). Where Chase-II flips every subset of a fixed number of least reliable bits,
/// this spends a budget of attempts where the errors most likely are: flipping three nearly undecided bits before one that
/// is merely the sixth weakest.
/// </summary>
/// <remarks>
/// Best-first enumeration of the subsets of the weakest bits sorted by reliability: each subset is reached exactly once, from
/// its parent (its largest element moved one place down, or dropped when that place is in the subset too), and a subset's
/// successors never cost less than it, so a priority queue yields them in order.
/// </remarks>
internal static class ChasePatterns
{
    /// <summary>
    /// The first <paramref name="count"/> patterns over the bits whose reliabilities are <paramref name="reliability"/>:
    /// each pattern is the indices of the bits to flip, the first one empty.
    /// </summary>
    /// <param name="reliability">Per bit, how sure its decision is (non-negative, any scale).</param>
    /// <param name="count">How many patterns, the empty one included (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or a reliability is negative or not a number.</exception>
    public static IEnumerable<int[]> MostLikely(IReadOnlyList<double> reliability, int count)
    {
        ArgumentNullException.ThrowIfNull(reliability);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (reliability.Any(r => !(r >= 0)))
        {
            throw new ArgumentOutOfRangeException(nameof(reliability), "Reliabilities are non-negative numbers.");
        }

        return Enumerate(reliability, count);
    }

    private static IEnumerable<int[]> Enumerate(IReadOnlyList<double> reliability, int count)
    {
        yield return [];
        if (count == 1 || reliability.Count == 0)
        {
            // The hard decision alone, as every reading is first tried: no sort.
            yield break;
        }

        // Ranks by reliability, weakest first; a pattern is a strictly increasing list of ranks.
        var byRank = Enumerable.Range(0, reliability.Count).OrderBy(i => reliability[i]).ThenBy(i => i).ToArray();
        var queue = new PriorityQueue<int[], double>();
        queue.Enqueue([0], reliability[byRank[0]]);
        for (var emitted = 1; emitted < count && queue.TryDequeue(out var ranks, out var cost); emitted++)
        {
            yield return Array.ConvertAll(ranks, r => byRank[r]);
            var last = ranks[^1];
            if (last + 1 < byRank.Length)
            {
                var next = reliability[byRank[last + 1]];
                var moved = (int[])ranks.Clone();
                moved[^1] = last + 1;
                queue.Enqueue(moved, cost - reliability[byRank[last]] + next);
                queue.Enqueue([.. ranks, last + 1], cost + next);
            }
        }
    }
}
