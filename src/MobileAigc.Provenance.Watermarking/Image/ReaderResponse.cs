using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// What the reader sees of a host picture at the carriers, measured rather than modelled (the reader's statistic is
/// non-linear: pre-filter, local contrast normalisation, folding): its front end run on the host and on the host plus a
/// probe mark, folded under the grid as embedded, over the whole picture and per region of <see cref="RegionTiles"/> ×
/// <see cref="RegionTiles"/> tiles. The difference is each carrier's (complex) gain; the host's fold, weighted toward the
/// centre, is what <see cref="InformedEmbedding"/> cancels.
/// </summary>
internal sealed class ReaderResponse
{
    /// <summary>The side of a region, in tiles, over which the reader's gain is fitted.</summary>
    public const int RegionTiles = 2;

    /// <summary>
    /// The side of the corner and centred crops, as a fraction of the picture's, whose host folds are averaged into the host
    /// to cancel (see <see cref="CentreWeightedHost"/>). 0.8 read 530 of 540 crops to 80 % of each side at nine offsets
    /// (527 before), 0.7 read 527; cancelling the worst of the five folds instead of their mean cost too much of the
    /// budget (496 at 0.8, 395 at 0.7). Adding the centred crop raised issue 17's edit chain (crop 10 % per side, 400 px,
    /// saturation, JPEG q70) from 56 to 58 of 60 generated pictures.
    /// </summary>
    private const double CropSide = 0.8;

    private ReaderResponse(Complex[] probe, double probeEnergy, double perUnit, Complex[] gain, Complex[] host, IReadOnlyList<Region> regions, int planeWidth, int planeHeight)
    {
        (Probe, ProbeEnergy, PerUnit, Gain, Host, Regions, PlaneWidth, PlaneHeight) = (probe, probeEnergy, perUnit, gain, host, regions, planeWidth, planeHeight);
    }

    /// <summary>Per band coefficient, the probe's tile coefficients: the chips at the layout's phases.</summary>
    public Complex[] Probe { get; }

    /// <summary>The probe's sum of squared coefficients.</summary>
    public double ProbeEnergy { get; }

    /// <summary>The pattern's luma mean square per unit of squared tile coefficients (as painted at full resolution).</summary>
    public double PerUnit { get; }

    /// <summary>Per band coefficient, the reader's gain over the whole picture (reader units per tile unit, phase included).</summary>
    public Complex[] Gain { get; }

    /// <summary>Per band coefficient, the host as the whole picture folds it (before any cancellation).</summary>
    public Complex[] Host { get; }

    /// <summary>The regions, row by row, with their own gains and the host to cancel in their frames.</summary>
    public IReadOnlyList<Region> Regions { get; }

    /// <summary>The width of the reader's plane the regions are in.</summary>
    public int PlaneWidth { get; }

    /// <summary>The height of the reader's plane the regions are in.</summary>
    public int PlaneHeight { get; }

    /// <summary>
    /// Measures the reader's response to <paramref name="chips"/> painted at luma mean square <paramref name="mse"/> on the
    /// picture whose reader-resolution luma is <paramref name="luma"/>; null when the probe paints nothing.
    /// </summary>
    public static ReaderResponse? Measure(
        WatermarkLayout layout, Complex[] chips, LumaPlane luma, LumaPlane? mask, double tileScale, int factor, double mse, int width, int height)
    {
        // The reader-resolution planes live for this call only: pooled (see LumaPlane.Rent).
        var planes = new Planes(
            LumaPlane.Rent(luma.Width, luma.Height), LumaPlane.Rent(luma.Width, luma.Height), LumaPlane.Rent(luma.Width, luma.Height));
        try
        {
            return Measure(layout, chips, luma, mask, tileScale, factor, mse, width, height, planes);
        }
        finally
        {
            planes.Probed.Return();
            planes.HostResidual.Return();
            planes.ProbedResidual.Return();
        }
    }

    private static ReaderResponse? Measure(
        WatermarkLayout layout, Complex[] chips, LumaPlane luma, LumaPlane? mask, double tileScale, int factor, double mse, int width, int height, Planes planes)
    {
        const int P = WatermarkLayout.TilePeriod;
        var (probed, hostResidual, probedResidual) = planes;
        var n = WatermarkLayout.Band.Length;
        var probe = new Complex[n];
        var probeEnergy = 0.0;
        for (var k = 0; k < n; k++)
        {
            probe[k] = chips[k] * layout.Phases[k];
            probeEnergy += probe[k].Magnitude * probe[k].Magnitude;
        }

        var probePower = TilePattern.ReaderView(WatermarkLayout.Synthesize(probe), tileScale, width, height, factor, mask, probed);
        if (probePower <= 0)
        {
            return null;
        }

        var probeGain = (float)Math.Sqrt(mse / probePower);
        // Block averaging is linear: the probed picture at the reader's resolution is the host's plus the probe's.
        AddToScaled(luma.Values, probeGain, probed.Values, probed.Width * probed.Height);

        ReaderFrontEnd.Residuals(luma, probed, hostResidual, probedResidual);
        var scale = tileScale / factor;
        var grid = new TileGrid(0, scale, 0);

        // Per carrier, the reader's gain (reader units per tile unit, phase included) over the whole image.
        var (host, response) = Measure(hostResidual, probedResidual, grid, 0, 0, hostResidual.Width, hostResidual.Height);
        var gain = new Complex[n];
        var magnitudes = new double[n];
        for (var k = 0; k < n; k++)
        {
            gain[k] = (response[k] - host[k]) / (probeGain * probe[k]);
            magnitudes[k] = gain[k].Magnitude;
        }

        var floor = 0.25 * magnitudes.Order().ElementAt(n / 2) + 1e-12;
        for (var k = 0; k < n; k++)
        {
            if (!(magnitudes[k] >= floor))
            {
                gain[k] = floor * (probe[k] / probe[k].Magnitude);
            }
        }

        // The host to cancel: weighted toward the centre, which every moderate crop keeps.
        var cancelled = CentreWeightedHost(hostResidual, grid, host);

        // Regions of about one tile in the reader's plane, the last ones absorbing the remainder.
        var side = Math.Max(16, (int)Math.Round(RegionTiles * P * scale));
        var xs = Bounds(hostResidual.Width, side);
        var ys = Bounds(hostResidual.Height, side);
        var regions = new List<Region>();
        for (var j = 0; j + 1 < ys.Length; j++)
        {
            for (var i = 0; i + 1 < xs.Length; i++)
            {
                var (x0, x1, y0, y1) = (xs[i], xs[i + 1], ys[j], ys[j + 1]);
                var (regionHost, regionResponse) = Measure(hostResidual, probedResidual, grid, x0, y0, x1, y1);

                // The region's fold has its origin at the region's centre, not the image's: shift the phases.
                var dx = ((x0 + x1) / 2.0 - hostResidual.Width / 2.0) / scale;
                var dy = ((y0 + y1) / 2.0 - hostResidual.Height / 2.0) / scale;
                var regionGain = new Complex[n];
                var shift = new Complex[n];
                var numerator = 0.0;
                var denominator = 0.0;
                for (var k = 0; k < n; k++)
                {
                    var (u, v) = WatermarkLayout.Band[k];
                    shift[k] = Complex.FromPolarCoordinates(1, 2 * Math.PI * (u * dx + v * dy) / P);
                    regionGain[k] = gain[k] * shift[k];
                    var expected = regionGain[k] * probeGain * probe[k];
                    var observed = regionResponse[k] - regionHost[k];
                    numerator += (Complex.Conjugate(expected) * observed).Real;
                    denominator += expected.Magnitude * expected.Magnitude;
                }

                // Local contrast normalisation makes the gain vary with the region's texture; fit one factor per region.
                var local = Math.Clamp(numerator / (denominator + 1e-30), 0.2, 5);
                var hostChips = new Complex[n];
                var frames = new Complex[n];
                var regionMagnitudes = new double[n];
                for (var k = 0; k < n; k++)
                {
                    regionGain[k] *= local;
                    regionMagnitudes[k] = regionGain[k].Magnitude;
                    frames[k] = layout.Phases[k] * (regionGain[k] / regionMagnitudes[k]);
                    hostChips[k] = cancelled[k] * shift[k] * Complex.Conjugate(frames[k]);
                }

                var area = (double)(x1 - x0) * (y1 - y0) / (hostResidual.Width * hostResidual.Height);
                regions.Add(new Region(x0, y0, x1, y1, area, regionGain, regionMagnitudes, frames, hostChips));
            }
        }

        return new ReaderResponse(probe, probeEnergy, probePower / probeEnergy, gain, host, regions, hostResidual.Width, hostResidual.Height);
    }

    /// <summary>Sets <paramref name="target"/>[i] to <paramref name="host"/>[i] + <paramref name="gain"/> × <paramref name="target"/>[i] for the first <paramref name="length"/> values, vector by vector.</summary>
    private static void AddToScaled(float[] host, float gain, float[] target, int length)
    {
        var lanes = Vector<float>.Count;
        var i = 0;
        for (; i <= length - lanes; i += lanes)
        {
            (new Vector<float>(host, i) + gain * new Vector<float>(target, i)).CopyTo(target, i);
        }

        for (; i < length; i++)
        {
            target[i] = host[i] + gain * target[i];
        }
    }

    /// <summary>
    /// The host's band coefficients as the reader folds the whole picture, averaged with how it folds the four corner
    /// crops and the centred crop to <see cref="CropSide"/> of each side (moved to the whole picture's fold origin).
    /// Cancelling only the whole picture's fold leaves a crop with the host of the tiles it keeps; the average weights the
    /// central tiles, which every such crop keeps, more than those along the edges, at no extra energy. The centred crop is
    /// the everyday one (an editor's "crop 10 % off each side").
    /// </summary>
    private static Complex[] CentreWeightedHost(LumaPlane hostResidual, TileGrid grid, Complex[] host)
    {
        const int P = WatermarkLayout.TilePeriod;
        var n = host.Length;
        var sum = (Complex[])host.Clone();
        var width = (int)Math.Round(CropSide * hostResidual.Width);
        var height = (int)Math.Round(CropSide * hostResidual.Height);
        var (right, bottom) = (hostResidual.Width - width, hostResidual.Height - height);
        var crops = new[] { (0, 0), (right, 0), (0, bottom), (right, bottom), (right / 2, bottom / 2) };
        var folds = new Complex[crops.Length][];
        var none = new double[P * P];
        for (var c = 0; c < crops.Length; c += 2)
        {
            // Two crops per transform; the last, alone, with an empty tile.
            var (ax, ay) = crops[c];
            var first = TileReader.Fold(hostResidual, grid, ax, ay, ax + width, ay + height);
            if (c + 1 < crops.Length)
            {
                var (bx, by) = crops[c + 1];
                (folds[c], folds[c + 1]) = WatermarkLayout.BandCoefficients(first, TileReader.Fold(hostResidual, grid, bx, by, bx + width, by + height));
            }
            else
            {
                folds[c] = WatermarkLayout.BandCoefficients(first, none).First;
            }
        }

        for (var c = 0; c < crops.Length; c++)
        {
            var (x0, y0) = crops[c];
            var fold = folds[c];
            var dx = (x0 + width / 2.0 - hostResidual.Width / 2.0) / grid.Scale;
            var dy = (y0 + height / 2.0 - hostResidual.Height / 2.0) / grid.Scale;
            for (var k = 0; k < n; k++)
            {
                var (u, v) = WatermarkLayout.Band[k];
                sum[k] += fold[k] * Complex.FromPolarCoordinates(1, -2 * Math.PI * (u * dx + v * dy) / P);
            }
        }

        for (var k = 0; k < n; k++)
        {
            sum[k] /= crops.Length + 1;
        }

        return sum;
    }

    private static int[] Bounds(int length, int side)
    {
        var count = Math.Max(1, length / side);
        var bounds = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            bounds[i] = i * side;
        }

        bounds[count] = length;
        return bounds;
    }

    /// <summary>
    /// The reader's view of the rectangle [x0, x1) × [y0, y1) of <paramref name="first"/> and of <paramref name="second"/>, each
    /// cropped out as a picture of its own: their band coefficients after folding under <paramref name="grid"/>.
    /// </summary>
    private static (Complex[] First, Complex[] Second) Measure(LumaPlane first, LumaPlane second, TileGrid grid, int x0, int y0, int x1, int y1) =>
        WatermarkLayout.BandCoefficients(TileReader.Fold(first, grid, x0, y0, x1, y1), TileReader.Fold(second, grid, x0, y0, x1, y1));

    /// <summary>The reader-resolution planes of one call: the probed picture and the two residuals.</summary>
    private sealed record Planes(LumaPlane Probed, LumaPlane HostResidual, LumaPlane ProbedResidual);

    internal sealed record Region(int X0, int Y0, int X1, int Y1, double Area, Complex[] Gain, double[] Magnitudes, Complex[] Frames, Complex[] HostChips);
}
