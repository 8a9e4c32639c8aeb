namespace MobileAigc.Provenance.Imaging.Pdq;

/// <summary>
/// The eight ways to turn or mirror a picture without resampling it (the dihedral group of the square), named as
/// Meta's PDQ reference names them. Each value says which picture a hash computed with it stands for, relative to the
/// picture that was hashed, as displayed (row 0 at the top).
/// </summary>
public enum PdqDihedral
{
    /// <summary>The picture as it is.</summary>
    Original,

    /// <summary>Turned 90° anticlockwise (the top-right corner becomes the top-left).</summary>
    Rotate90,

    /// <summary>Turned 180°.</summary>
    Rotate180,

    /// <summary>Turned 270° anticlockwise, that is 90° clockwise (the bottom-left corner becomes the top-left).</summary>
    Rotate270,

    /// <summary>Mirrored across the horizontal axis: upside down, left and right kept (the reference's "flip x").</summary>
    FlipX,

    /// <summary>Mirrored across the vertical axis: left and right swapped, top and bottom kept (the reference's "flip y").</summary>
    FlipY,

    /// <summary>Mirrored across the main diagonal: transposed, the top-left and bottom-right corners kept (the reference's "flip +1").</summary>
    FlipPlus1,

    /// <summary>Mirrored across the anti-diagonal: the top-right and bottom-left corners kept (the reference's "flip −1").</summary>
    FlipMinus1,
}
