namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The strengths <see cref="InformedEmbedding"/> may mark a picture at, as the luma mean square of the mark.
/// </summary>
/// <param name="TargetMse">At <see cref="ImageWatermarkOptions.TargetPsnrDb"/>: what a picture that does not need more gets.</param>
/// <param name="TextureMaskedMse">
/// The whole picture's allowance (<see cref="TextureMasking.PsnrDb"/>; at least <paramref name="TargetMse"/>), given to a picture that needs it.
/// </param>
/// <param name="FloorMse">At the floor (<see cref="ImageWatermarkOptions.TargetPsnrDb"/> − <see cref="ImageWatermarkOptions.TextureMaskingMaxDb"/>): no region's mark is stronger.</param>
/// <param name="Texture">
/// The picture's texture per block, for the local allowance; null when strength by need is off: then every picture gets
/// <paramref name="TextureMaskedMse"/>, needed or not.
/// </param>
internal sealed record MarkStrength(double TargetMse, double TextureMaskedMse, double FloorMse, TextureMap? Texture);
