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
    private const int GridCandidates = 5;
    private const int OffsetCandidates = 2;

    /// <summary>The sync score from which the strongest reading is read again from its marked regions only.</summary>
    private const double MarkedRegionsSync = 5.0;

    /// <summary>How many times the strongest reading is refolded from its marked regions (see <see cref="TryMarkedRegions"/>).</summary>
    private const int MarkedRegionPasses = 3;

    /// <summary>
    /// How many readings (the strongest syncs, each of another folded tile) get Chase decoding: 2, since each lattice may
    /// be folded under two grids (<see cref="TileGridSearch.Find"/>) and either may be the one a few bits short of
    /// decoding (seed 25 of the benchmark's chain attack).
    /// </summary>
    private const int ChaseReadings = 2;

    /// <summary>Reed-Solomon decodings per Chase reading whose sync is weak, the hard decision included (as many as Chase-II over 6 bits).</summary>
    private const int ChaseAttempts = 64;

    /// <summary>
    /// Reed-Solomon decodings per Chase reading whose sync is at least <see cref="StrongSync"/>: the codecs leave such readings
    /// 9 to 13 symbol errors that the most likely 2,048 flip patterns often bring within Reed-Solomon's 8, at about 16 µs
    /// a decoding (docs/benchmarks/watermark-robustness.md, "Reliability-weighted soft decoding").
    /// </summary>
    private const int StrongChaseAttempts = 2048;

    /// <summary>
    /// The sync score (<see cref="TileReading.SyncScore"/>) from which a reading gets <see cref="StrongChaseAttempts"/>: marked
    /// pictures a few symbols short after JPEG q30 or WebP q50 read 5.9 to 7.0, the strongest reading of an unmarked
    /// picture 3.9 to 4.9, so an unmarked read rarely pays for the long search (the bound counts it all the same).
    /// </summary>
    private const double StrongSync = 5.5;

    /// <summary>The most pixels a small plane is enlarged to before its second read: four normalised squares (1 MP).</summary>
    private const int MaxEnlargedPixels = 4 * ImageWatermarker.NormalisedSide * ImageWatermarker.NormalisedSide;

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
        var luma = LumaPlane.FromImage(image, factor, LumaPlane.Rent(image.Width / factor, image.Height / factor));
        try
        {
            var reading = ReadPlane(luma, options, accept);
            var (width, height) = EnlargedSize(luma.Width, luma.Height);
            if (reading.Found || (width == luma.Width && height == luma.Height))
            {
                return reading;
            }

            // A plane under the normalised side is read as it is first (the picture may have been marked at that size), then
            // enlarged to it: a picture shrunk after marking (a thumbnail, a resize to 75 %, or a large picture whose plane
            // the whole-factor shrink leaves under 512 pixels) shows its tile below scale 1, where the reader's fixed-size
            // filters lose the finest carriers and, further down, the half-resolution analysis cannot see them at all;
            // enlarged, the tile sits near scale 1 again.
            var enlarged = luma.Resample(LumaPlane.Rent(width, height));
            try
            {
                return ReadPlane(enlarged, options, accept);
            }
            finally
            {
                enlarged.Return();
            }
        }
        finally
        {
            luma.Return();
        }
    }

    /// <summary>Reads the mark in a luma plane: its residual, then <see cref="Read"/>.</summary>
    private static ImageWatermarkReading ReadPlane(LumaPlane luma, ImageWatermarkOptions options, Func<ulong, ulong, bool> accept)
    {
        var residual = LumaPlane.Rent(luma.Width, luma.Height);
        try
        {
            ReaderFrontEnd.Residual(luma, residual);
            return Read(residual, options, accept);
        }
        finally
        {
            residual.Return();
        }
    }

    /// <summary>
    /// The size at which a <paramref name="width"/> × <paramref name="height"/> plane is read again when the plain read
    /// finds nothing: unchanged (no second read) when its short side is at least the normalised side; otherwise enlarged
    /// so that the short side is the normalised side, but never beyond <see cref="MaxEnlargedPixels"/> in all (a thin
    /// strip would otherwise grow without bound).
    /// </summary>
    internal static (int Width, int Height) EnlargedSize(int width, int height)
    {
        var shortSide = Math.Min(width, height);
        if (shortSide >= ImageWatermarker.NormalisedSide)
        {
            return (width, height);
        }

        var factor = Math.Min(ImageWatermarker.NormalisedSide / (double)shortSide, Math.Sqrt(MaxEnlargedPixels / ((double)width * height)));
        return factor <= 1 ? (width, height) : ((int)(width * factor), (int)(height * factor));
    }

    /// <summary>
    /// Finds and decodes the mark in a residual (see <see cref="ReaderFrontEnd.Residual"/>): first under the grid as
    /// embedded (an unattacked or only cropped, filtered or re-encoded picture ends there, without the grid search),
    /// then under each grid the search finds, in each of the tile's eight turns and mirrors (<see cref="TileDihedral"/>).
    /// </summary>
    private static ImageWatermarkReading Read(LumaPlane residual, ImageWatermarkOptions options, Func<ulong, ulong, bool> accept)
    {
        var asEmbedded = new TileGrid(0, 1, 0);
        var foldedAsEmbedded = TileSpectrum.Of(TileReader.Fold(residual, asEmbedded));
        var strongest = new List<TileReading>(ChaseReadings + 1);
        Hypothesis? leading = null;
        if (TryHard(foldedAsEmbedded, asEmbedded, 0, accept, strongest, ref leading, out var found))
        {
            return found;
        }

        var grids = TileGridSearch.Analyse(residual)
            .Find(options.MaxRotationDegrees, options.MinScale, options.MaxScale, options.MaxAspectRatio, GridCandidates);

        // Hard decoding at every grid, turn and offset first; then Chase decoding (64 Reed-Solomon attempts each, 2,048 with
        // a strong sync) only on the readings whose sync correlation is strongest: it keeps unmarked images fast and the number
        // of decoding attempts per image, hence the false-positive bound, small (the count is in
        // docs/benchmarks/watermark-robustness.md).
        foreach (var grid in grids.Where(g => !IsAsEmbedded(g)))
        {
            var folded = TileSpectrum.Of(TileReader.Fold(residual, grid));
            for (var element = 0; element < TileDihedral.Elements.Count; element++)
            {
                if (TryHard(folded, grid, element, accept, strongest, ref leading, out found))
                {
                    return found;
                }
            }
        }

        // Last resort, the grid as embedded in its other turns and mirrors: small images hold too few tiles for the
        // spectrum to show the grid.
        for (var element = 1; element < TileDihedral.Elements.Count; element++)
        {
            if (TryHard(foldedAsEmbedded, asEmbedded, element, accept, strongest, ref leading, out found))
            {
                return found;
            }
        }

        foreach (var reading in strongest)
        {
            if (TryDecode(reading, ChaseAttemptsFor(reading), accept, out var chased))
            {
                return chased;
            }
        }

        return leading is { } hypothesis && hypothesis.Reading.SyncScore >= MarkedRegionsSync
            && TryMarkedRegions(residual, hypothesis, accept, out found)
            ? found
            : ImageWatermarkReading.NotFound;
    }

    /// <summary>Whether the search's <paramref name="grid"/> is the grid as embedded, which <see cref="Read"/> tries apart.</summary>
    private static bool IsAsEmbedded(TileGrid grid) =>
        Math.Abs(grid.Angle) < 0.005 && Math.Abs(grid.Scale - 1) < 0.005 && Math.Abs(grid.Aspect - 1) < 0.005;

    /// <summary>
    /// Hard-decodes the <see cref="OffsetCandidates"/> best offsets of the folded tile whose transform is <paramref name="folded"/>,
    /// turned or mirrored by <paramref name="element"/>, keeping in <paramref name="strongest"/> (when given) the
    /// <see cref="ChaseReadings"/> readings with the strongest sync so far, at most one per folded tile (its offsets' readings are
    /// nearly the same bits), and in <paramref name="leading"/> the hypothesis with the strongest sync.
    /// </summary>
    private static bool TryHard(
        TileSpectrum folded, TileGrid grid, int element, Func<ulong, ulong, bool> accept, List<TileReading>? strongest, ref Hypothesis? leading, out ImageWatermarkReading found)
    {
        TileReading? best = null;
        foreach (var reading in TileReader.Read(folded.Turned(element), Layout, Codec.CodewordBits, OffsetCandidates))
        {
            if (TryDecode(reading, 1, accept, out found))
            {
                return true;
            }

            if (best is null || reading.SyncScore > best.Value.SyncScore)
            {
                best = reading;
            }
        }

        if (best is { } candidate)
        {
            if (leading is null || candidate.SyncScore > leading.Value.Reading.SyncScore)
            {
                leading = new Hypothesis(grid, element, candidate);
            }

            if (strongest is not null)
            {
                var place = strongest.FindIndex(r => r.SyncScore < candidate.SyncScore);
                strongest.Insert(place < 0 ? strongest.Count : place, candidate);
                if (strongest.Count > ChaseReadings)
                {
                    strongest.RemoveAt(ChaseReadings);
                }
            }
        }

        found = ImageWatermarkReading.NotFound;
        return false;
    }

    /// <summary>
    /// Reads <paramref name="hypothesis"/> again from only the regions of <paramref name="residual"/> that carry the mark as it
    /// found it (<see cref="MarkedRegions"/>): the same grid and turn, folded without a reflected fill or a pasted part. The
    /// regions are found three ways, each a refold: from the reading's whole expected tile (sync and message chips as read:
    /// the finest map where the mark outweighs what else folds in), from its sync pattern alone (unbiased where a mirror image
    /// weighs as much as the mark, so that the bits read are half its), and from the expected tile of the strongest refold so
    /// far. Chase decoding then goes to the strongest refold.
    /// </summary>
    private static bool TryMarkedRegions(LumaPlane residual, Hypothesis hypothesis, Func<ulong, ulong, bool> accept, out ImageWatermarkReading found)
    {
        // The refolds' readings stay out of the strongest readings' Chase decoding, which ran before.
        Hypothesis? strongestRefold = null;
        for (var pass = 0; pass < MarkedRegionPasses; pass++)
        {
            var source = pass < 2 ? hypothesis : strongestRefold ?? hypothesis;
            var expected = pass == 1
                ? MarkedRegions.SyncTile(Layout, source.Reading, source.Element)
                : MarkedRegions.ExpectedTile(Layout, source.Reading, source.Element);
            var regions = MarkedRegions.Find(residual, hypothesis.Grid, expected);
            // When every region carries the mark, the refold is the fold already read (and Chase-decoded).
            if (!Array.TrueForAll(regions.Keep, keep => keep)
                && TryHard(TileSpectrum.Of(TileReader.Fold(residual, hypothesis.Grid, regions)), hypothesis.Grid, hypothesis.Element, accept, null, ref strongestRefold, out found))
            {
                return true;
            }
        }

        found = ImageWatermarkReading.NotFound;
        return strongestRefold is { } refold && TryDecode(refold.Reading, ChaseAttemptsFor(refold.Reading), accept, out found);
    }

    /// <summary>The Reed-Solomon decodings a Chase reading earns by its sync: <see cref="StrongChaseAttempts"/> from <see cref="StrongSync"/>, else <see cref="ChaseAttempts"/>.</summary>
    private static int ChaseAttemptsFor(TileReading reading) => reading.SyncScore >= StrongSync ? StrongChaseAttempts : ChaseAttempts;

    private static bool TryDecode(TileReading reading, int attempts, Func<ulong, ulong, bool> accept, out ImageWatermarkReading result)
    {
        var hard = new bool[Codec.CodewordBits];
        var reliability = new double[hard.Length];
        for (var i = 0; i < hard.Length; i++)
        {
            hard[i] = reading.SoftBits[i] < 0 ^ Layout.Scramble[i];
            reliability[i] = Math.Abs(reading.SoftBits[i]);
        }

        if (Codec.TryDecode(hard, reliability, attempts, accept, out var payload, out var corrected, out var bitErrors))
        {
            var confidence = Math.Clamp(1 - 2.0 * bitErrors / hard.Length, 0, 1);
            result = new ImageWatermarkReading(true, payload, confidence, corrected);
            return true;
        }

        result = ImageWatermarkReading.NotFound;
        return false;
    }

    /// <summary>A grid, a turn or mirror of the tile folded under it, and the strongest reading found there.</summary>
    private readonly record struct Hypothesis(TileGrid Grid, int Element, TileReading Reading);
}
