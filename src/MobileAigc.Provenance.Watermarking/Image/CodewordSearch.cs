using System.Security.Cryptography;
using System.Text;
using MobileAigc.Provenance.Imaging;

namespace MobileAigc.Provenance.Watermarking.Image;

/// <summary>
/// The part of reading an image watermark that needs no node's key: the network's one tile layout (sync pattern,
/// carriers, chip places and scrambling), the search for the tile grid and offset, and Reed-Solomon decoding. Only
/// the tag inside a decoded codeword is keyed (<see cref="PayloadMac"/>), so a reader holding many keys demodulates
/// once and tries each key's tag on the few codewords that decode: its cost hardly depends on how many keys it holds.
/// </summary>
/// <remarks>
/// The layout is derived from a public label, not from a secret: anyone can find the tile and read a codeword's
/// payload and tag, as anyone can read a record's watermark id from the ledger. What a reader cannot do without a
/// node's key is make a tag that key accepts for a new payload. Thread-safe.
/// </remarks>
internal static class CodewordSearch
{
    /// <summary>The label the network's layout is derived from (version 2: version 1 drew a layout per node key).</summary>
    public const string LayoutLabel = "mobileaigc/image-watermark/v2/network-layout";

    private const int CodewordSymbols = 32;
    private const int GridCandidates = 3;
    private const int OffsetCandidates = 2;
    private const int ChaseBits = 6;

    /// <summary>The codec: payload and tag to codeword bits and back.</summary>
    public static PayloadCodec Codec { get; } = new(CodewordSymbols);

    /// <summary>The network's tile layout, the same for every node.</summary>
    public static WatermarkLayout Layout { get; } = new(SHA256.HashData(Encoding.UTF8.GetBytes(LayoutLabel)), Codec.CodewordBits);

    /// <summary>
    /// Looks for a codeword in <paramref name="image"/> whose tag <paramref name="accept"/> accepts (see
    /// <see cref="ImageWatermarker.Extract"/> for the steps). Never throws for a valid image.
    /// </summary>
    public static ImageWatermarkReading Extract(RgbImage image, ImageWatermarkOptions options, Func<ulong, ulong, bool> accept)
    {
        if (Math.Min(image.Width, image.Height) < ImageWatermarker.MinimumReadableSide)
        {
            return ImageWatermarkReading.NotFound;
        }

        var factor = ImageWatermarker.ReadFactor(image);
        var (width, height) = (image.Width / factor, image.Height / factor);
        var luma = LumaPlane.Rent(width, height);
        var residual = LumaPlane.Rent(width, height);
        try
        {
            LumaPlane.FromImage(image, factor, luma);
            ImageWatermarker.Residual(luma, residual);
            return Read(residual, options, accept);
        }
        finally
        {
            luma.Return();
            residual.Return();
        }
    }

    /// <summary>Finds and decodes the mark in a residual (see <see cref="ImageWatermarker.Residual"/>).</summary>
    private static ImageWatermarkReading Read(LumaPlane residual, ImageWatermarkOptions options, Func<ulong, ulong, bool> accept)
    {
        var grids = TileGridSearch.Analyse(residual)
            .Find(options.MaxRotationDegrees, options.MinScale, options.MaxScale, GridCandidates);

        // Last resort, the grid as embedded: small images hold too few tiles for the spectrum to show it.
        if (!grids.Any(g => Math.Abs(g.Angle) < 0.005 && Math.Abs(g.Scale - 1) < 0.005))
        {
            grids.Add(new TileGrid(0, 1, 0));
        }

        // Hard decoding at every grid and offset first; then Chase decoding (63 more Reed-Solomon attempts) only on
        // the reading whose sync correlation is strongest: it keeps unmarked images fast and the number of decoding
        // attempts per image, hence the false-positive bound, small.
        TileReading? best = null;
        foreach (var grid in grids)
        {
            var folded = TileReader.Fold(residual, grid);
            foreach (var reading in TileReader.Read(folded, Layout, Codec.CodewordBits, OffsetCandidates))
            {
                if (TryDecode(reading, 0, accept, out var found))
                {
                    return found;
                }

                if (best is null || reading.SyncScore > best.Value.SyncScore)
                {
                    best = reading;
                }
            }
        }

        if (best is not null && TryDecode(best.Value, ChaseBits, accept, out var chased))
        {
            return chased;
        }

        return ImageWatermarkReading.NotFound;
    }

    private static bool TryDecode(TileReading reading, int chaseBits, Func<ulong, ulong, bool> accept, out ImageWatermarkReading result)
    {
        var hard = new bool[Codec.CodewordBits];
        var reliability = new double[hard.Length];
        for (var i = 0; i < hard.Length; i++)
        {
            hard[i] = reading.SoftBits[i] < 0 ^ Layout.Scramble[i];
            reliability[i] = Math.Abs(reading.SoftBits[i]);
        }

        if (Codec.TryDecode(hard, reliability, chaseBits, accept, out var payload, out var corrected, out var bitErrors))
        {
            var confidence = Math.Clamp(1 - 2.0 * bitErrors / hard.Length, 0, 1);
            result = new ImageWatermarkReading(true, payload, confidence, corrected);
            return true;
        }

        result = ImageWatermarkReading.NotFound;
        return false;
    }
}
