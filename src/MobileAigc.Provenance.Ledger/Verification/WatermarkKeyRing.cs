using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Watermarking;
using MobileAigc.Provenance.Watermarking.Enrollment;
using MobileAigc.Provenance.Watermarking.Image;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>A watermark key and the node that enrolled it (<see cref="EnrolledWatermarkKey"/>).</summary>
/// <param name="Node">The node: the only one whose records a watermark read with <paramref name="Key"/> may lead to.</param>
/// <param name="Key">The key.</param>
public sealed record NodeWatermarkKey(EvmAddress Node, WatermarkKey Key);

/// <summary>An image watermark found by <see cref="WatermarkKeyRing.ReadImage"/>.</summary>
/// <param name="KeyIndex">Which configured key read it (0-based, in configuration order).</param>
/// <param name="Node">The node that enrolled that key.</param>
/// <param name="Payload">The 64-bit payload.</param>
/// <param name="Confidence">0 to 1 (see <see cref="ImageWatermarkReading.Confidence"/>).</param>
public sealed record ImageWatermarkHit(int KeyIndex, EvmAddress Node, ulong Payload, double Confidence);

/// <summary>
/// The node watermark keys the ledger was given (<see cref="VerificationOptions.WatermarkEnrollmentFiles"/>),
/// each with the node that enrolled it, and one image reader for all of them (<see cref="ImageWatermarkReader"/>:
/// one demodulation, then each key's MAC). Thread-safe: the reader keeps no state.
/// </summary>
public sealed class WatermarkKeyRing
{
    private readonly IReadOnlyList<NodeWatermarkKey> _entries;
    private readonly ImageWatermarkReader _reader;
    private readonly Dictionary<Bytes32, EvmAddress> _nodesByTextWatermarkId;

    /// <summary>A ring over enrolled keys already in memory (tests, tools).</summary>
    /// <exception cref="InvalidOperationException">When one key is enrolled by two different nodes: its marks could not be attributed.</exception>
    public WatermarkKeyRing(IEnumerable<NodeWatermarkKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _entries = [.. keys];
        _reader = new ImageWatermarkReader(_entries.Select(k => k.Key));
        _nodesByTextWatermarkId = [];
        foreach (var (node, key) in _entries)
        {
            var id = WatermarkIds.ForTextKey(key);
            if (_nodesByTextWatermarkId.TryGetValue(id, out var other) && other != node)
            {
                throw new InvalidOperationException($"One watermark key is enrolled by two nodes, {other} and {node}: its marks could not be attributed.");
            }

            _nodesByTextWatermarkId[id] = node;
        }

        Keys = [.. _entries.Select(k => k.Key)];
    }

    /// <summary>How many keys the ring holds.</summary>
    public int Count => _entries.Count;

    /// <summary>The keys, in configuration order (the text watermark detector uses them too).</summary>
    public IReadOnlyList<WatermarkKey> Keys { get; }

    /// <summary>
    /// Reads each enrollment file as the edge node writes it and checks it for this ledger: signed by the
    /// node it names, in <paramref name="ledgerDomain"/>, for the key it holds.
    /// </summary>
    /// <exception cref="InvalidOperationException">When a file is missing, unreadable, not an enrollment or not valid here; the message names the file, never its key.</exception>
    public static WatermarkKeyRing Load(IEnumerable<string> enrollmentFiles, ContractDomain ledgerDomain) =>
        Load(enrollmentFiles, [ledgerDomain ?? throw new ArgumentNullException(nameof(ledgerDomain))]);

    /// <summary>
    /// As <see cref="Load(IEnumerable{string}, ContractDomain)"/>, where an enrollment may be signed in any of
    /// <paramref name="ledgerDomains"/>: the current deployment's and, after a contract upgrade, the previous ones'
    /// (a node's watermark key stays its key; re-enrolling is not needed to keep reading its old pictures).
    /// </summary>
    /// <exception cref="InvalidOperationException">When a file is missing, unreadable, not an enrollment or valid in none of the domains.</exception>
    public static WatermarkKeyRing Load(IEnumerable<string> enrollmentFiles, IReadOnlyList<ContractDomain> ledgerDomains)
    {
        ArgumentNullException.ThrowIfNull(enrollmentFiles);
        ArgumentNullException.ThrowIfNull(ledgerDomains);
        return new WatermarkKeyRing(enrollmentFiles.Select(f => LoadEnrolled(f, ledgerDomains)).ToList());
    }

    /// <summary>One enrollment file, checked as <see cref="Load(IEnumerable{string}, ContractDomain)"/> does.</summary>
    /// <exception cref="InvalidOperationException">When the file is missing, unreadable, not an enrollment or not valid for <paramref name="ledgerDomain"/>.</exception>
    public static NodeWatermarkKey LoadEnrolled(string path, ContractDomain ledgerDomain) =>
        LoadEnrolled(path, [ledgerDomain ?? throw new ArgumentNullException(nameof(ledgerDomain))]);

    private static NodeWatermarkKey LoadEnrolled(string path, IReadOnlyList<ContractDomain> ledgerDomains)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (ledgerDomains.Count == 0)
        {
            throw new ArgumentException("At least one domain is needed.", nameof(ledgerDomains));
        }

        try
        {
            var enrolled = EnrolledWatermarkKey.Parse(File.ReadAllBytes(path));
            // The first domain (the current deployment's) gives the error when none holds.
            for (var i = ledgerDomains.Count - 1; i > 0; i--)
            {
                try
                {
                    return new NodeWatermarkKey(enrolled.VerifyFor(ledgerDomains[i]), enrolled.Key);
                }
                catch (InvalidWatermarkEnrollmentException)
                {
                    // Not signed in this previous deployment's domain; try the next.
                }
            }

            return new NodeWatermarkKey(enrolled.VerifyFor(ledgerDomains[0]), enrolled.Key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidWatermarkEnrollmentException)
        {
            // The enrollment's messages never quote the key; ours names only the file.
            throw new InvalidOperationException($"Watermark key enrollment '{path}' cannot be used: {e.Message}", e);
        }
    }

    /// <summary>The node that enrolled the key whose text watermark id is <paramref name="textWatermarkId"/> (<see cref="WatermarkIds.ForTextKey"/>), or null.</summary>
    public EvmAddress? NodeOfTextWatermark(Bytes32 textWatermarkId) =>
        _nodesByTextWatermarkId.TryGetValue(textWatermarkId, out var node) ? node : null;

    /// <summary>
    /// The image watermark found with any of the keys, attributed to the first key (in configuration order) whose MAC
    /// it carries; see <see cref="ReadImageHits"/> for all of them.
    /// </summary>
    public ImageWatermarkHit? ReadImage(RgbImage image, CancellationToken cancellationToken = default) =>
        ReadImageHits(image, cancellationToken) is [var first, ..] ? first : null;

    /// <summary>
    /// Reads the image's watermark once and returns one hit per key whose MAC the payload carries, in configuration
    /// order: normally none or one (two keys accept one payload's 26-bit tag with chance 2^-26 per pair), so a caller
    /// resolving the payload through records tries each. Cost: one demodulation (about 10 ms per megapixel) whatever
    /// the number of keys, plus a microsecond per key for each payload that decodes.
    /// </summary>
    public IReadOnlyList<ImageWatermarkHit> ReadImageHits(RgbImage image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        cancellationToken.ThrowIfCancellationRequested();
        if (image.Width < ImageWatermarker.MinimumReadableSide || image.Height < ImageWatermarker.MinimumReadableSide)
        {
            return [];
        }

        var found = _reader.Read(image);
        if (found.Reading is not { Found: true, Payload: { } payload })
        {
            return [];
        }

        return [.. found.KeyIndices.Select(i => new ImageWatermarkHit(i, _entries[i].Node, payload, found.Reading.Confidence))];
    }
}
