using System.ComponentModel.DataAnnotations;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// How strongly <see cref="ImageWatermarker"/> marks images and how widely it searches when reading
/// them. Validated when an <see cref="ImageWatermarker"/> is constructed.
/// </summary>
public sealed class ImageWatermarkOptions
{
    /// <summary>
    /// The peak signal-to-noise ratio, in dB over the R, G and B bytes, that a marked image has against its original:
    /// the watermark is made as strong as this allows, and never stronger, except on a picture that needs a stronger mark and
    /// whose texture hides one, by up to <see cref="TextureMaskingMaxDb"/> (<see cref="StrengthByNeed"/>). Default 42; from 30 (strong, may be visible
    /// in flat areas) to 60 (faint, fragile).
    /// </summary>
    [Range(30.0, 60.0)]
    public double TargetPsnrDb { get; init; } = 42.0;

    /// <summary>
    /// How many dB below <see cref="TargetPsnrDb"/> a picture whose own texture masks the mark may be marked (the floor); 0 turns
    /// this off (every picture at <see cref="TargetPsnrDb"/>). Default 4 (a floor of 38 dB at the default target); from 0 to 8.
    /// </summary>
    /// <remarks>
    /// The mark has the same amplitude everywhere, so it shows first where the picture is flattest. The whole picture's
    /// allowance: when even its flattest tenth (blocks of 16 pixels at the reader's resolution) holds fine texture (standard
    /// deviation of the luma) of more than 7 times the mark's RMS, the mark may grow with that texture, keeping the ratio, by
    /// at most this many dB; with <see cref="StrengthByNeed"/> (the default) only a picture that needs it gets it, and such a
    /// picture may also get a stronger mark in its regions textured all around, never below the same floor. Most
    /// photographs have some sky, wall or background and are not strengthened as a whole; close-ups of grass, gravel,
    /// foliage or a circuit board are (docs/benchmarks/watermark-robustness.md, "Texture-masked strength" and "Strength by
    /// need"). At the default, a whole-picture mark of at most 3.2 grey levels RMS under texture of at least 22.
    /// </remarks>
    [Range(0.0, 8.0)]
    public double TextureMaskingMaxDb { get; init; } = 4.0;

    /// <summary>
    /// Whether the texture allowance (<see cref="TextureMaskingMaxDb"/>) is spent only on a picture that needs it, and then
    /// also locally. Default true; false gives every picture whose flattest tenth is textured its whole allowance, needed or not,
    /// and nothing locally (the rule before). Needs <see cref="InformedEmbedding"/> (without it, the rule before applies).
    /// </summary>
    /// <remarks>
    /// The informed embedding cancels the picture's own energy at the carriers as the whole picture folds it; a rotation, stretch
    /// or crop folds other pixels and loses that. The embedder predicts how many Reed-Solomon symbols a reading without the
    /// cancellation would get wrong; above 2.5 of 32 it spends the whole picture's allowance, then strengthens the plain part
    /// of the mark in regions of two tiles whose whole neighbourhood is textured, as far as needed and as far as that
    /// texture hides it (the same ratio of 7, never beyond the floor's mark). A picture predicted to read keeps exactly
    /// <see cref="TargetPsnrDb"/> (docs/benchmarks/watermark-robustness.md, "Strength by need").
    /// </remarks>
    public bool StrengthByNeed { get; init; } = true;

    /// <summary>
    /// How much the watermark follows local texture: the local amplitude goes with
    /// (local standard deviation + 2)^<see cref="MaskingExponent"/>, then the whole mark is scaled to the picture's PSNR
    /// (<see cref="TargetPsnrDb"/>, see <see cref="TextureMaskingMaxDb"/>). Default 0 (even strength), from 0 to 1. Not to be
    /// confused with <see cref="TextureMaskingMaxDb"/>, which sets the whole picture's strength. At a fixed PSNR, masking
    /// moves energy from flat areas to edges, and JPEG then erases the part left in flat areas: at 0.5
    /// recovery after JPEG q50 fell from 59/60 to 37/48 pictures in our measurements, so it is off by default.
    /// </summary>
    [Range(0.0, 1.0)]
    public double MaskingExponent { get; init; }

    /// <summary>
    /// Whether the embedder measures the picture's own energy at the watermark's carriers and spends the PSNR
    /// budget on cancelling the part that opposes the mark (informed embedding), instead of adding a mark of
    /// fixed shape on top of it. Default true. Without it, pictures with strong texture at the carriers'
    /// frequencies (dense striations, fine patterns) may not carry a readable mark at all (9 of 60 pictures of
    /// the repository's image model read unattacked before; 60 of 60 with it). It runs the reader's front end
    /// on the picture and on the picture plus a probe mark, so embedding costs several times as much as without it
    /// (figures in docs/benchmarks/watermark-robustness.md).
    /// </summary>
    public bool InformedEmbedding { get; init; } = true;

    /// <summary>
    /// The largest rotation, in degrees either way, away from the nearest quarter turn, that <see cref="ImageWatermarker.Extract"/>
    /// searches for. Quarter turns and mirror flips are always recognised (the tile looks the same after them; its sync
    /// pattern tells them apart), so the default 45 covers every angle. From 0 to 45; a narrower search is faster on
    /// pictures that carry no mark (the false-positive bound counts the widest, see docs/benchmarks/watermark-robustness.md).
    /// </summary>
    [Range(0.0, 45.0)]
    public double MaxRotationDegrees { get; init; } = 45.0;

    /// <summary>
    /// The largest change of aspect ratio (one side resized to this many times the other, either way, along the picture's
    /// axes) that <see cref="ImageWatermarker.Extract"/> searches for. Default 1.4 (a side squeezed to 75 % is 1.33); from
    /// 1 (none) to 1.6.
    /// </summary>
    [Range(1.0, 1.6)]
    public double MaxAspectRatio { get; init; } = 1.4;

    /// <summary>
    /// The smallest scale (read image size ÷ marked image size, after the reader's own normalisation of
    /// large images to about 512 pixels) searched. Default 0.5; from 0.3 to 1.
    /// </summary>
    [Range(0.3, 1.0)]
    public double MinScale { get; init; } = 0.5;

    /// <summary>
    /// The largest scale searched (see <see cref="MinScale"/>). Default 2.4; from 1 to 2.5. The reader shrinks a large picture by
    /// a whole factor chosen from its own size, so a large marked picture cropped to a fraction c of its short side shows its
    /// tile at about 1/c: 2.4 reads crops down to about 42 % of the side (1.7, the default before, lost every crop below 59 %).
    /// </summary>
    [Range(1.0, 2.5)]
    public double MaxScale { get; init; } = 2.4;

    /// <summary>Checks every option against its range.</summary>
    /// <exception cref="ArgumentException">When an option is out of range; the message names each one.</exception>
    public void Validate()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid image watermark options: " + string.Join(" ", results.Select(r => r.ErrorMessage)));
        }
    }
}
