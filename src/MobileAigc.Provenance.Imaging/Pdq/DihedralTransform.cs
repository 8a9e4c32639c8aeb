namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// Turns and mirrors a picture's pixels as each <see cref="PdqDihedral"/> value documents (no resampling): what a phone's
/// rotate and flip buttons do. Independent of the hasher, so tests can check the hasher's dihedral hashes against it.
/// </summary>
public static class DihedralTransform
{
    /// <summary>A new picture: <paramref name="image"/> turned or mirrored as <paramref name="form"/> says.</summary>
    /// <exception cref="ArgumentNullException">When <paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="form"/> is not a defined value.</exception>
    public static RgbImage Apply(RgbImage image, PdqDihedral form)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!Enum.IsDefined(form))
        {
            throw new ArgumentOutOfRangeException(nameof(form), form, "Not one of the eight dihedral forms.");
        }

        var (w, h) = (image.Width, image.Height);
        var transposes = form is PdqDihedral.Rotate90 or PdqDihedral.Rotate270 or PdqDihedral.FlipPlus1 or PdqDihedral.FlipMinus1;
        var result = transposes ? RgbImage.Create(h, w) : RgbImage.Create(w, h);
        for (var r = 0; r < result.Height; r++)
        {
            for (var c = 0; c < result.Width; c++)
            {
                // The stored pixel (row, column) that lands at (r, c).
                var (row, column) = form switch
                {
                    PdqDihedral.Original => (r, c),
                    PdqDihedral.Rotate90 => (c, w - 1 - r),          // anticlockwise: the top-right corner comes to the top-left
                    PdqDihedral.Rotate180 => (h - 1 - r, w - 1 - c),
                    PdqDihedral.Rotate270 => (h - 1 - c, r),          // clockwise: the bottom-left corner comes to the top-left
                    PdqDihedral.FlipX => (h - 1 - r, c),              // upside down
                    PdqDihedral.FlipY => (r, w - 1 - c),              // left-right mirror
                    PdqDihedral.FlipPlus1 => (c, r),                  // transpose
                    PdqDihedral.FlipMinus1 => (h - 1 - c, w - 1 - r), // anti-transpose
                    _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
                };
                image.Pixels.AsSpan(3 * ((row * w) + column), 3).CopyTo(result.Pixels.AsSpan(3 * ((r * result.Width) + c), 3));
            }
        }

        return result;
    }
}
