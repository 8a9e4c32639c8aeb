using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Tests.Text;

/// <summary>The binomial tail computed independently of the detector: in integers, rounded only by the final logarithm.</summary>
internal static class ExactBinomial
{
    /// <summary>ln P(X ≥ k) for X ~ Binomial(n, green / vocabulary): ln of Σ_{j ≥ k} C(n, j) g^j (V − g)^(n − j) / V^n.</summary>
    public static double LogUpperTail(int n, int k, int green, int vocabulary)
    {
        var numerator = BigInteger.Zero;
        var choose = BigInteger.One;
        for (var j = 0; j <= n; j++)
        {
            if (j >= k)
            {
                numerator += choose * BigInteger.Pow(green, j) * BigInteger.Pow(vocabulary - green, n - j);
            }

            choose = choose * (n - j) / (j + 1);
        }

        return numerator.IsZero ? double.NegativeInfinity : BigInteger.Log(numerator) - BigInteger.Log(BigInteger.Pow(vocabulary, n));
    }
}
