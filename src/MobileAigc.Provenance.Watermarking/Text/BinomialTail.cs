namespace MobileAigc.Provenance.Watermarking.Text;

/// <summary>
/// The exact upper tail of the binomial distribution, P(X ≥ k) for X ~ Binomial(n, p), computed in
/// log space so that the tiny probabilities of long watermarked texts neither underflow nor lose
/// their relative precision.
/// </summary>
/// <remarks>
/// The tail is summed from its largest term outwards, each term the previous times a ratio below 1,
/// so no term is subtracted from another: when k lies above the mode the upper tail is summed
/// directly; otherwise 1 − P(X ≤ k − 1) is taken, and that lower tail is then at most about one half,
/// so the subtraction loses nothing either. Cost: O(n). Relative error: a few times n·2⁻⁵³.
/// </remarks>
public static class BinomialTail
{
    /// <summary>ln P(X ≥ <paramref name="successes"/>) for X ~ Binomial(<paramref name="trials"/>, <paramref name="probability"/>): 0 when the bound is at most 0, −∞ when it exceeds the trials.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="trials"/> is negative or <paramref name="probability"/> is not strictly between 0 and 1.</exception>
    public static double LogUpperTail(int trials, int successes, double probability)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trials);
        if (!(probability is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The success probability must be strictly between 0 and 1.");
        }

        if (successes <= 0)
        {
            return 0;
        }

        if (successes > trials)
        {
            return double.NegativeInfinity;
        }

        var odds = probability / (1 - probability);
        if (successes > (trials + 1) * probability)
        {
            // Above the mode every next term is smaller: P(X = j + 1) / P(X = j) = (n − j) / (j + 1) · p / (1 − p) < 1.
            double sum = 0, term = 1;
            for (var j = successes; j <= trials && term > 0; j++)
            {
                sum += term;
                term *= (double)(trials - j) / (j + 1) * odds;
            }

            return LogProbabilityMass(trials, successes, probability) + Math.Log(sum);
        }

        // At or below the mode: 1 − P(X ≤ k − 1), that lower tail summed downwards from its largest term.
        double lower = 0, below = 1;
        for (var j = successes - 1; j >= 0 && below > 0; j--)
        {
            lower += below;
            below *= j / ((double)(trials - j + 1) * odds);
        }

        var lowerTail = Math.Exp(LogProbabilityMass(trials, successes - 1, probability) + Math.Log(lower));
        return Math.Log(Math.Max(0, 1 - lowerTail));
    }

    /// <summary>ln P(X = k) = ln C(n, k) + k ln p + (n − k) ln(1 − p).</summary>
    private static double LogProbabilityMass(int trials, int successes, double probability)
    {
        // ln C(n, k) as Σ ln((n − k + i) / i) over the shorter side: exact terms, no factorial overflow.
        var shorter = Math.Min(successes, trials - successes);
        var logChoose = 0.0;
        for (var i = 1; i <= shorter; i++)
        {
            logChoose += Math.Log((double)(trials - shorter + i) / i);
        }

        return logChoose + (successes * Math.Log(probability)) + ((trials - successes) * Math.Log(1 - probability));
    }
}
