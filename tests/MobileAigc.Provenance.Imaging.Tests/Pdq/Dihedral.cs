using MobileAigc.Provenance.Imaging.Pdq;

namespace MobileAigc.Provenance.Imaging.Tests.Pdq;

/// <summary>Turns and mirrors pixels as each <see cref="PdqDihedral"/> value documents, independently of the hasher.</summary>
internal static class Dihedral
{
    public static RgbImage Apply(RgbImage image, PdqDihedral form)
    {
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
                    _ => throw new ArgumentOutOfRangeException(nameof(form)),
                };
                image.Pixels.AsSpan(3 * ((row * w) + column), 3).CopyTo(result.Pixels.AsSpan(3 * ((r * result.Width) + c), 3));
            }
        }

        return result;
    }
}
