using MobileAigc.Provenance.Credentials.Building;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.EdgeNode.ContentCredentials;

/// <summary>
/// The claim thumbnail of a generated picture: the picture scaled down so that its longer side is at most
/// <see cref="MaxSide"/> pixels, as a JPEG at quality <see cref="JpegQuality"/>. Small on purpose: it travels
/// in every delivered file and in every record sent to the ledger.
/// </summary>
public static class ClaimThumbnails
{
    /// <summary>The longest side of a thumbnail: 160 pixels.</summary>
    public const int MaxSide = 160;

    /// <summary>The thumbnail's JPEG quality: 75.</summary>
    public const int JpegQuality = 75;

    /// <summary>The thumbnail of <paramref name="picture"/> (never larger than the picture itself).</summary>
    public static ClaimThumbnail Of(RgbImage picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(picture.Width, picture.Height));
        var width = Math.Max(1, (int)Math.Round(picture.Width * scale));
        var height = Math.Max(1, (int)Math.Round(picture.Height * scale));
        var small = scale < 1.0 ? ImageCodec.Resize(picture, width, height) : picture;
        return new ClaimThumbnail("image/jpeg", ImageCodec.Encode(small, ImageFileFormat.Jpeg, JpegQuality));
    }
}
