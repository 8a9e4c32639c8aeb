namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// What <see cref="ImageWatermarker.Extract"/> found.
/// </summary>
/// <param name="Found">
/// True only when a codeword was read, Reed-Solomon decoding succeeded and the keyed MAC inside it
/// matched; an unmarked image or one marked with another key essentially never gives true.
/// </param>
/// <param name="Payload">The 64-bit payload when <paramref name="Found"/>; otherwise null.</param>
/// <param name="Confidence">
/// From 0 to 1: 1 − 2 × (bit errors corrected ÷ codeword bits), so 1 is a clean read and values near 0
/// a read at the edge of what the code corrects; 0 when nothing was found.
/// </param>
/// <param name="CorrectedErrors">The number of Reed-Solomon symbols (6 bits each) that were corrected; 0 when nothing was found.</param>
public sealed record ImageWatermarkReading(bool Found, ulong? Payload, double Confidence, int CorrectedErrors)
{
    /// <summary>The reading of an image without a watermark for this key.</summary>
    public static ImageWatermarkReading NotFound { get; } = new(false, null, 0, 0);
}
