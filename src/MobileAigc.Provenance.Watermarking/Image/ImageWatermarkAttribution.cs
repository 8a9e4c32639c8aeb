namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>What <see cref="ImageWatermarkReader.Read"/> found: the reading and every key whose MAC it carries.</summary>
/// <param name="Reading">The reading, as <see cref="ImageWatermarker.Extract"/> gives it for one of those keys.</param>
/// <param name="KeyIndices">
/// The indices (in the reader's key order, ascending) of the keys whose MAC the payload's tag matches; empty when nothing
/// was found. Normally one: two keys share a given payload's 26-bit tag with chance 2^-26, so a caller that resolves the
/// payload through records should try each.
/// </param>
public sealed record ImageWatermarkAttribution(ImageWatermarkReading Reading, IReadOnlyList<int> KeyIndices)
{
    /// <summary>Nothing found for any key.</summary>
    public static ImageWatermarkAttribution NotFound { get; } = new(ImageWatermarkReading.NotFound, []);
}
