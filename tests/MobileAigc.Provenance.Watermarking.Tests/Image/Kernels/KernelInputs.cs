namespace MobileAigc.Provenance.Watermarking.Tests.Image.Kernels;

/// <summary>The luma planes the kernel tests give both a kernel and its naive reference.</summary>
internal static class KernelInputs
{
    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> luma plane: <c>random</c> in [0, 255)
    /// (seeded by <paramref name="seed"/> and the size, so every case is repeatable), a centred
    /// <c>impulse</c> of 255, a <c>constant</c> 117.3, or anything else all zero.
    /// </summary>
    public static float[] Luma(string signal, int width, int height, int seed = 0)
    {
        var values = new float[width * height];
        switch (signal)
        {
            case "random":
                var random = new Random(seed * 10_000 + width * 100 + height);
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = (float)(random.NextDouble() * 255);
                }

                break;
            case "impulse":
                values[(height / 2 * width) + (width / 2)] = 255f;
                break;
            case "constant":
                Array.Fill(values, 117.3f);
                break;
        }

        return values;
    }
}
