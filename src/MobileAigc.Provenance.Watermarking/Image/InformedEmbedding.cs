using System.Numerics;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// Informed embedding (after Malvar and Florêncio's improved spread spectrum): the embedder knows the host, so
/// it measures what the reader would see at every carrier of the unmarked image and spends the PSNR budget on
/// making each chip's received sign right with a margin, cancelling the host's own energy where it opposes
/// the chip instead of adding a fixed-size mark on top of it.
/// </summary>
/// <remarks>
/// The reader's statistic is non-linear (pre-filter, local contrast normalisation, folding under a grid), so
/// the embedder does not model it: it measures it, on the host and on the host plus a probe mark, and takes
/// the per-carrier difference as the carrier's (complex) gain. Pictures whose host interference is weak end up
/// with almost the plain mark; pictures with strong texture at the carriers get most of it cancelled.
/// </remarks>
internal static class InformedEmbedding
{
    /// <summary>Chips whose host agreement already exceeds the margin still get this fraction of it, for robustness.</summary>
    private const double MinimumFraction = 0.8;

    /// <summary>Chips that would need more than this many margins of correction are left to Reed-Solomon.</summary>
    private const double GiveUpMargins = 8.0;

    /// <summary>
    /// The share of the mark's energy spent on the plain (uninformed) mark, the same everywhere. The informed part
    /// cancels the host only as the whole picture folds it; a crop folds a different subset of tiles, where the
    /// plain part still reads (it adds to every chip's margin, where the informed part brings each chip only to its
    /// margin). On 60 generated pictures, 0.3 raised crop to 80 % of each side from 52 to 58 and JPEG q75 + 75 % from
    /// 56 to 60 with nothing lost elsewhere; with the centre-weighted cancellation, 0.45 read 531 of 540 crops to
    /// 80 % of each side (nine offsets per picture) against 530 at 0.3 and 529 at 0.15. Making the informed part count
    /// the plain part's reading (so that it spends less) nearly doubled the margin but raised the bit errors after
    /// crops (17 to 20 instead of 10 to 14 on the hardest picture).
    /// </summary>
    private const double PlainFraction = 0.45;

    /// <summary>
    /// The side of the corner and centred crops, as a fraction of the picture's, whose host folds are averaged into the host
    /// to cancel (see <see cref="CentreWeightedHost"/>). 0.8 read 530 of 540 crops to 80 % of each side at nine offsets
    /// (527 before), 0.7 read 527; cancelling the worst of the five folds instead of their mean cost too much of the
    /// budget (496 at 0.8, 395 at 0.7). Adding the centred crop raised issue 17's edit chain (crop 10 % per side, 400 px,
    /// saturation, JPEG q70) from 56 to 58 of 60 generated pictures.
    /// </summary>
    private const double CropSide = 0.8;

    /// <summary>The side of a region, in tiles, over which the reader's gain is fitted.</summary>
    private const int RegionTiles = 2;

    /// <summary>
    /// Writes the full-resolution luma pattern to add (before the final PSNR gain) for <paramref name="chips"/>: the plain
    /// mark with <see cref="PlainFraction"/> of the energy, plus the same chips everywhere with the host's interference
    /// cancelled (as the whole image and its corner and centred crops fold it, averaged: <see cref="CentreWeightedHost"/>), and the amplitude scaled per
    /// region of <see cref="RegionTiles"/> × <see cref="RegionTiles"/> tiles by the reader's gain there, so every
    /// region reads with the same margin. (Cancelling each region's own host instead, so that crops would be
    /// cancelled too, costs many times the PSNR budget on textured pictures: measured, it lost far more than it won.)
    /// </summary>
    /// <param name="layout">The key's layout.</param>
    /// <param name="chips">Per band coefficient, the wanted chips (see <see cref="WatermarkLayout.Chips"/>).</param>
    /// <param name="luma">The host's luma at the reader's resolution (averaged over <paramref name="factor"/> × <paramref name="factor"/> blocks, as the reader does).</param>
    /// <param name="mask">Per full-resolution pixel, the amplitude of the mark; null without perceptual masking (all ones).</param>
    /// <param name="tileScale">Full-resolution pixels per canonical tile pixel.</param>
    /// <param name="factor">The reader's down-sampling factor for this image size.</param>
    /// <param name="strength">The luma mean squares the mark may have, and whether to choose among them by need (<see cref="StrengthByNeed"/>).</param>
    /// <param name="width">The full-resolution image's width.</param>
    /// <param name="height">The full-resolution image's height.</param>
    /// <param name="target">Receives the pattern, row-major, <paramref name="width"/> × <paramref name="height"/> (may be longer).</param>
    /// <returns>The luma mean square to scale the pattern to: <see cref="MarkStrength.TargetMse"/> unless the picture needs and is allowed more.</returns>
    public static double Pattern(WatermarkLayout layout, Complex[] chips, LumaPlane luma, LumaPlane? mask, double tileScale, int factor, MarkStrength strength, int width, int height, float[] target)
    {
        // The reader-resolution planes live for this call only: pooled (see LumaPlane.Rent).
        var planes = new Planes(
            LumaPlane.Rent(luma.Width, luma.Height), LumaPlane.Rent(luma.Width, luma.Height), LumaPlane.Rent(luma.Width, luma.Height));
        try
        {
            return Pattern(layout, chips, luma, mask, tileScale, factor, strength, width, height, target, planes);
        }
        finally
        {
            planes.Probed.Return();
            planes.HostResidual.Return();
            planes.ProbedResidual.Return();
        }
    }

    private static double Pattern(
        WatermarkLayout layout, Complex[] chips, LumaPlane luma, LumaPlane? mask, double tileScale, int factor, MarkStrength strength, int width, int height, float[] target, Planes planes)
    {
        // Without the texture (strength by need off) every picture gets its whole allowance, as before; with it, the target first.
        var mse = strength.Texture is null ? strength.TextureMaskedMse : strength.TargetMse;
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
            Array.Clear(target, 0, width * height);
            return mse;
        }

        var probeGain = (float)Math.Sqrt(mse / probePower);
        // Block averaging is linear: the probed picture at the reader's resolution is the host's plus the probe's.
        AddToScaled(luma.Values, probeGain, probed.Values, probed.Width * probed.Height);

        ImageWatermarker.Residuals(luma, probed, hostResidual, probedResidual);
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

        // Budget in tile units: the pattern's power is proportional to the sum of squared coefficients.
        var perUnit = probePower / probeEnergy;
        var (margin, plain) = Split(mse / perUnit, probeEnergy, chips, regions);
        var need = strength.Texture is null ? null : new NeedModel(layout, gain, host, regions);
        if (need is not null && need.Errors(plain, margin) > StrengthByNeed.ToleratedSymbolErrors && strength.TextureMaskedMse > mse)
        {
            mse = strength.TextureMaskedMse;
            (margin, plain) = Split(mse / perUnit, probeEnergy, chips, regions);
        }

        var informed = new Complex[regions.Count][];
        for (var r = 0; r < regions.Count; r++)
        {
            var region = regions[r];
            informed[r] = new Complex[n];
            for (var k = 0; k < n; k++)
            {
                var x = new Complex(Component(margin, chips[k].Real, region.HostChips[k].Real), Component(margin, chips[k].Imaginary, region.HostChips[k].Imaginary));
                informed[r][k] = x * region.Frames[k] / region.Gain[k];
            }
        }

        var plainCoefficients = probe.Select(p => plain * p).ToArray();
        var plainFactors = need is not null && need.Errors(plain, margin) > StrengthByNeed.ToleratedSymbolErrors
            ? need.LocalFactors(plain, margin, informed, plainCoefficients, strength, mse / NeedModel.Energy(regions, informed, plainCoefficients, null))
            : null;
        var coefficients = new Complex[regions.Count][];
        for (var r = 0; r < regions.Count; r++)
        {
            var f = plainFactors?[r] ?? 1;
            coefficients[r] = new Complex[n];
            for (var k = 0; k < n; k++)
            {
                coefficients[r][k] = informed[r][k] + f * plainCoefficients[k];
            }
        }

        // Two regions' tiles per transform.
        for (var r = 0; r < regions.Count; r += 2)
        {
            var (first, second) = WatermarkLayout.Synthesize(coefficients[r], r + 1 < regions.Count ? coefficients[r + 1] : default);
            Paint(target, width, height, mask, tileScale, factor, hostResidual, regions[r], first);
            if (r + 1 < regions.Count)
            {
                Paint(target, width, height, mask, tileScale, factor, hostResidual, regions[r + 1], second);
            }
        }

        return plainFactors is null
            ? mse
            : Math.Min(strength.FloorMse, mse * NeedModel.Energy(regions, informed, plainCoefficients, plainFactors) / NeedModel.Energy(regions, informed, plainCoefficients, null));
    }

    /// <summary>
    /// The plain mark's amplitude and the informed chips' margin for a budget in tile units: <see cref="PlainFraction"/> of it
    /// to the plain mark, the rest to the informed chips, whose margin is the largest that fits (bisection).
    /// </summary>
    private static (double Margin, double Plain) Split(double budget, double probeEnergy, Complex[] chips, List<Region> regions)
    {
        var plain = Math.Sqrt(PlainFraction * budget / probeEnergy);
        budget *= 1 - PlainFraction;
        var lo = 0.0;
        var hi = 1.0;
        while (Energy(hi, chips, regions) < budget && hi < 1e12)
        {
            hi *= 2;
        }

        for (var step = 0; step < 40; step++)
        {
            var mid = 0.5 * (lo + hi);
            if (Energy(mid, chips, regions) < budget)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo, plain);
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

    /// <summary>Paints <paramref name="tile"/> over <paramref name="region"/> back at full resolution; the regions on the right and bottom edges reach the image's edge.</summary>
    private static void Paint(float[] target, int width, int height, LumaPlane? mask, double tileScale, int factor, LumaPlane plane, Region region, float[] tile)
    {
        var fx0 = region.X0 * factor;
        var fy0 = region.Y0 * factor;
        var fx1 = region.X1 == plane.Width ? width : region.X1 * factor;
        var fy1 = region.Y1 == plane.Height ? height : region.Y1 * factor;
        TilePattern.Paint(target, width, mask, tile, tileScale, fx0, fy0, fx1, fy1);
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

    /// <summary>The reader-resolution planes of one call: the probed picture and the two residuals.</summary>
    private sealed record Planes(LumaPlane Probed, LumaPlane HostResidual, LumaPlane ProbedResidual);

    internal sealed record Region(int X0, int Y0, int X1, int Y1, double Area, Complex[] Gain, double[] Magnitudes, Complex[] Frames, Complex[] HostChips);

    /// <summary>
    /// The reader's view of the rectangle [x0, x1) × [y0, y1) of <paramref name="first"/> and of <paramref name="second"/>, each
    /// cropped out as a picture of its own: their band coefficients after folding under <paramref name="grid"/>.
    /// </summary>
    private static (Complex[] First, Complex[] Second) Measure(LumaPlane first, LumaPlane second, TileGrid grid, int x0, int y0, int x1, int y1) =>
        WatermarkLayout.BandCoefficients(TileReader.Fold(first, grid, x0, y0, x1, y1), TileReader.Fold(second, grid, x0, y0, x1, y1));

    /// <summary>The chip value to embed (reader units) so that, with the host's <paramref name="host"/>, it reads as <paramref name="sign"/> with margin <paramref name="margin"/>.</summary>
    private static double Component(double margin, double sign, double host)
    {
        var needed = margin - sign * host;
        if (needed <= MinimumFraction * margin || needed > GiveUpMargins * margin)
        {
            return sign * MinimumFraction * margin;
        }

        return sign * needed;
    }

    private static double Energy(double margin, Complex[] chips, List<Region> regions)
    {
        var total = 0.0;
        foreach (var region in regions)
        {
            var sum = 0.0;
            for (var k = 0; k < chips.Length; k++)
            {
                var re = Component(margin, chips[k].Real, region.HostChips[k].Real);
                var im = Component(margin, chips[k].Imaginary, region.HostChips[k].Imaginary);
                sum += (re * re + im * im) / (region.Magnitudes[k] * region.Magnitudes[k]);
            }

            total += region.Area * sum;
        }

        return total;
    }
}
