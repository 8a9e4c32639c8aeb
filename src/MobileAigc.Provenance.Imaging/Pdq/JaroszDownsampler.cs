namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// PDQ's downsample to 64×64, with the reference's arithmetic: BT.601 luma, two passes of a box filter along the rows
/// and two along the columns (Jarosz's approximation of a tent), then the value at the pixel under each cell's centre.
/// </summary>
/// <remarks>
/// <para>The reference (<c>pdqhashing.cpp</c>, <c>downscaling.cpp</c>) filters the whole picture: along an axis of n
/// pixels the box is <c>w = ⌈n / 128⌉</c> pixels wide (rounded as <c>(n + 127) / 128</c>) and output pixel o is the
/// mean of input pixels <c>o − (w − h)</c> to <c>o + h − 1</c> with <c>h = (w + 2) / 2</c> (so even boxes reach one
/// pixel further right), cut at the picture's edges and averaged over the pixels inside; the passes run rows, columns,
/// rows, columns; cell (i, j) of the result is pixel <c>(⌊(i + ½) n_rows / 64⌋, ⌊(j + ½) n_cols / 64⌋)</c> of the
/// filtered picture.</para>
/// <para>Here the same linear map is applied without filtering pixels that are never sampled: the passes along one
/// axis commute with those along the other, so the two row passes together weigh each pixel of a row by fixed
/// weights (the box matrix squared) for each of the 64 sampled columns, and likewise the column passes. Each row costs
/// its luma and about one multiply-add per pixel; memory is 64 values per row. Results equal the reference's up to
/// single-precision rounding (its running sums round differently), which moves no bit on the reference's test
/// photographs.</para>
/// <para>Sides of 64 pixels or fewer get windows of one pixel: the filter is the identity and the downsample picks
/// pixels (a 64×64 picture is used as it is, as in the reference).</para>
/// </remarks>
internal static class JaroszDownsampler
{
    /// <summary>The output side: 64.</summary>
    public const int Size = 64;

    /// <summary>The reference's window divisor: a window is the side over 128 (half a cell, as two passes make a cell-wide tent).</summary>
    public const int WindowDivisor = 2 * Size;

    /// <summary>The 64×64 filtered, decimated luma, row-major.</summary>
    public static float[] Downsample(RgbImage image)
    {
        var (width, height) = (image.Width, image.Height);
        var horizontal = SampleWeights.Create(width);
        var vertical = SampleWeights.Create(height);

        // Rows: luma, then the 64 sampled columns, kept for the rows some sampled row reads.
        var rowSamples = new float[height * Size];
        var luma = new float[width];
        var pixels = image.Pixels;
        for (var y = vertical.FirstUsed; y <= vertical.LastUsed; y++)
        {
            ImageCodec.ToLuma(pixels.AsSpan(3 * y * width, 3 * width), luma);
            var samples = rowSamples.AsSpan(y * Size, Size);
            for (var c = 0; c < Size; c++)
            {
                samples[c] = horizontal.Sample(luma, c);
            }
        }

        // Columns: each sampled row is a weighted sum of whole rows of samples.
        var result = new float[Size * Size];
        for (var r = 0; r < Size; r++)
        {
            var target = result.AsSpan(r * Size, Size);
            var (start, weights) = vertical.For(r);
            for (var k = 0; k < weights.Length; k++)
            {
                var weight = weights[k];
                var source = rowSamples.AsSpan((start + k) * Size, Size);
                for (var c = 0; c < Size; c++)
                {
                    target[c] += weight * source[c];
                }
            }
        }

        return result;
    }

    /// <summary>The box window along an axis of <paramref name="length"/> pixels: <c>(length + 127) / 128</c>, at least 1.</summary>
    public static int WindowSize(int length) => (length + WindowDivisor - 1) / WindowDivisor;

    /// <summary>The pixel an output cell reads along an axis: <c>⌊(cell + ½) · length / 64⌋</c>.</summary>
    public static int SampledPixel(int cell, int length) => (int)((cell + 0.5) * length / Size);

    /// <summary>For each of the 64 sampled pixels of an axis, the weights that two box passes give the axis's pixels.</summary>
    private sealed class SampleWeights
    {
        private readonly int[] _starts;
        private readonly float[][] _weights;

        private SampleWeights(int[] starts, float[][] weights)
        {
            (_starts, _weights) = (starts, weights);
            FirstUsed = starts.Min();
            LastUsed = Enumerable.Range(0, Size).Max(i => starts[i] + weights[i].Length - 1);
        }

        /// <summary>The first pixel any sample weighs.</summary>
        public int FirstUsed { get; }

        /// <summary>The last pixel any sample weighs.</summary>
        public int LastUsed { get; }

        public static SampleWeights Create(int length)
        {
            var window = WindowSize(length);
            var right = ((window + 2) / 2) - 1;   // pixels after the centre
            var left = window - 1 - right;         // pixels before it
            (int From, int To) Box(int o) => (Math.Max(0, o - left), Math.Min(length - 1, o + right));

            var starts = new int[Size];
            var weights = new float[Size][];
            for (var i = 0; i < Size; i++)
            {
                // Second pass at the sampled pixel p reads first-pass outputs m in Box(p); each reads inputs in Box(m).
                var p = SampledPixel(i, length);
                var (from, to) = Box(p);
                var first = Box(from).From;
                var composite = new double[Box(to).To - first + 1];
                for (var m = from; m <= to; m++)
                {
                    var (mFrom, mTo) = Box(m);
                    var share = 1.0 / ((to - from + 1) * (double)(mTo - mFrom + 1));
                    for (var k = mFrom; k <= mTo; k++)
                    {
                        composite[k - first] += share;
                    }
                }

                starts[i] = first;
                weights[i] = [.. composite.Select(w => (float)w)];
            }

            return new SampleWeights(starts, weights);
        }

        public (int Start, float[] Weights) For(int index) => (_starts[index], _weights[index]);

        public float Sample(ReadOnlySpan<float> line, int index) => DeterministicDot.Of(line.Slice(_starts[index], _weights[index].Length), _weights[index]);
    }
}
