namespace MobileAigc.Provenance.Imaging;

/// <summary>The file formats <see cref="ImageCodec"/> reads and writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG, lossless.</summary>
    Png,

    /// <summary>JPEG, lossy.</summary>
    Jpeg,
}
