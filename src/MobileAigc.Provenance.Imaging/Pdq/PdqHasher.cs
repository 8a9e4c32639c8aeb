namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// Computes PDQ hashes as Meta's reference implementation does (ThreatExchange <c>pdq/</c>, the C++ library and its
/// Java and Python ports), so that hashes can be exchanged with the industry's hash-sharing programs.
/// </summary>
/// <remarks>
/// <para>Steps, all the reference's: BT.601 luma (<c>0.299 R + 0.587 G + 0.114 B</c> on the 8-bit values); the
/// two-pass Jarosz box filter and the decimation to 64×64 (<see cref="JaroszDownsampler"/>); the quality metric on the
/// 64×64 luma; the 16×16 lowest frequencies (1 to 16) of its 2-D DCT-II; one bit per coefficient, set when it exceeds
/// the median. The dihedral forms come from the same DCT block with signs and a transpose
/// (<see cref="ComputeDihedral(RgbImage)"/>).</para>
/// <para>Agreement: on the reference's test photographs (its <c>dih/</c> and <c>bridge-mods/</c> sets) every hash lies
/// within a few bits of the published one; the ports differ from each other by up to 8 bits through their JPEG
/// decoders, and ours decodes with SkiaSharp (libjpeg-turbo).</para>
/// <para>Large pictures are hashed at full resolution, as the reference library function and the Java port do. The
/// reference's C++ and Python file tools first shrink anything over 512 pixels (C++: to 512×512 by nearest
/// neighbour; Python: to fit 512×512, aspect kept) for speed; that is not needed here, where the filter costs about
/// one multiply-add per pixel after luma, and it moves hashes by a few bits at most.</para>
/// <para>Orientation: the file overloads decode with <see cref="ImageCodec.Decode"/>, which turns the picture upright
/// by its EXIF orientation (as viewers show it), like this solution's own perceptual hash and watermark. The
/// reference's tools hash the pixels as stored and ignore EXIF, so for a file tagged with an orientation other than 1
/// the reference's hash is one of our dihedral forms, never lost when matching with
/// <see cref="PdqDihedralHashes.MinimumDistanceTo"/>.</para>
/// <para>Thread-safe (no shared state) and deterministic: the same pixels give the same bits on any machine.</para>
/// </remarks>
public static class PdqHasher
{
    /// <summary>The smallest side the reference hashes: 5 pixels (it returns an empty hash below).</summary>
    public const int MinimumSide = 5;

    /// <summary>The PDQ hash and quality of <paramref name="image"/>.</summary>
    /// <param name="image">At least <see cref="MinimumSide"/> pixels on each side.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException">When a side is under <see cref="MinimumSide"/> pixels.</exception>
    public static PdqHashAndQuality Compute(RgbImage image)
    {
        var (block, quality) = Transform(image);
        return new PdqHashAndQuality(new PdqHash(PdqCoefficients.ToBits(block)), quality);
    }

    /// <summary>Decodes a PNG, JPEG or WebP file (EXIF orientation applied) and hashes it as <see cref="Compute(RgbImage)"/>.</summary>
    /// <param name="file">The whole file.</param>
    /// <exception cref="UnreadableImageException">When the file is empty, not PNG, JPEG or WebP, truncated, corrupt or too large.</exception>
    /// <exception cref="ArgumentException">When the decoded picture has a side under <see cref="MinimumSide"/> pixels.</exception>
    public static PdqHashAndQuality Compute(ReadOnlySpan<byte> file) => Compute(ImageCodec.Decode(file));

    /// <summary>The PDQ hashes of <paramref name="image"/> in all eight dihedral forms, and its quality.</summary>
    /// <param name="image">At least <see cref="MinimumSide"/> pixels on each side.</param>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException">When a side is under <see cref="MinimumSide"/> pixels.</exception>
    public static PdqDihedralHashes ComputeDihedral(RgbImage image)
    {
        var (block, quality) = Transform(image);
        var forms = Enum.GetValues<PdqDihedral>();
        var hashes = new PdqHash[forms.Length];
        var transformed = new float[block.Length];
        foreach (var form in forms)
        {
            PdqCoefficients.Transform(block, form, transformed);
            hashes[(int)form] = new PdqHash(PdqCoefficients.ToBits(transformed));
        }

        return new PdqDihedralHashes(hashes, quality);
    }

    /// <summary>Decodes a PNG, JPEG or WebP file (EXIF orientation applied) and hashes it as <see cref="ComputeDihedral(RgbImage)"/>.</summary>
    /// <param name="file">The whole file.</param>
    /// <exception cref="UnreadableImageException">When the file is empty, not PNG, JPEG or WebP, truncated, corrupt or too large.</exception>
    /// <exception cref="ArgumentException">When the decoded picture has a side under <see cref="MinimumSide"/> pixels.</exception>
    public static PdqDihedralHashes ComputeDihedral(ReadOnlySpan<byte> file) => ComputeDihedral(ImageCodec.Decode(file));

    private static (float[] Block, int Quality) Transform(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width < MinimumSide || image.Height < MinimumSide)
        {
            throw new ArgumentException(
                $"The picture is {image.Width}×{image.Height} pixels; PDQ needs at least {MinimumSide}×{MinimumSide}.", nameof(image));
        }

        var luma64 = JaroszDownsampler.Downsample(image);
        return (PdqCoefficients.Dct(luma64), PdqCoefficients.Quality(luma64));
    }
}
