using System.Runtime.Intrinsics;

namespace MobileAigc.Provenance.Imaging;

/// <summary>
/// A dot product summed in one fixed order (four lanes, then the tail), so that the resampling kernels give the same
/// floats, and so the same hash bits, on any machine.
/// </summary>
internal static class DeterministicDot
{
    /// <summary>The sum of <paramref name="a"/>[i] × <paramref name="b"/>[i] over <paramref name="a"/>'s length.</summary>
    public static float Of(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sums = Vector128<float>.Zero;
        var i = 0;
        for (; i <= a.Length - 4; i += 4)
        {
            sums += Vector128.Create(a.Slice(i, 4)) * Vector128.Create(b.Slice(i, 4));
        }

        var sum = (sums.GetElement(0) + sums.GetElement(1)) + (sums.GetElement(2) + sums.GetElement(3));
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
