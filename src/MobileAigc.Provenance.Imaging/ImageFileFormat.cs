namespace MobileAigc.Provenance.Imaging;

/// <summary>The file formats <see cref="ImageCodec"/> reads and writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG, lossless.</summary>
    Png,

    /// <summary>JPEG, lossy.</summary>
    Jpeg,

    /// <summary>WebP (RIFF): lossy VP8 or lossless VP8L, with or without the extended VP8X header; still pictures only.</summary>
    Webp,
}
