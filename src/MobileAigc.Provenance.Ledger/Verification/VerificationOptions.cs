using System.ComponentModel.DataAnnotations;
using MobileAigc.Provenance.Imaging.Pdq;
using MobileAigc.Provenance.Imaging.PerceptualHashing;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>How the ledger verifies content. Section <c>Ledger:Verification</c>; validated at start.</summary>
public sealed class VerificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ledger:Verification";

    /// <summary>
    /// Watermark key enrollment files the node operators share with the ledger: one per key of an edge
    /// node, each as the node writes it (<c>&lt;data&gt;/watermark-enrollment.json</c>: the key with the
    /// node's EIP-712 signature claiming it, in this ledger's domain). A watermark read with a key leads
    /// only to records of the node that enrolled it; a file that is not signed by the node it names, or
    /// for another chain or ledger contract, stops the start. A rotated key is a second file for the
    /// same node (keep the old one to trace older content). Default: none (watermarks are not read;
    /// exact and perceptual matches still work). Every uploaded image that matches no content hash is
    /// read with each key in turn: about 30 ms per key for a 512 × 512 image on one core, so 30 keys
    /// add about a second to such a request. The files are secrets: whoever holds one can place that
    /// node's watermark as well as read it (see docs/security.md); keep them mode 0600; the ledger never logs them.
    /// </summary>
    public IList<string> WatermarkEnrollmentFiles { get; } = [];

    /// <summary>
    /// Manifests (<c>manifest.json</c>) of the text models the edge nodes serve: their tokenizers turn
    /// uploaded text back into token ids, so that the nodes' text watermarks (with the keys of
    /// <see cref="WatermarkEnrollmentFiles"/>) can be detected in edited text. Only the manifest is read, never
    /// the model. Default: none (text is matched by exact hash only).
    /// </summary>
    public IList<string> TextModelManifests { get; } = [];

    /// <summary>
    /// Manifests (<c>manifest.json</c>) of any models the nodes serve, text or image, read only for their names: the
    /// registry holds none, so verification answers a model by the name of the manifest that pins its hash
    /// (<c>model.name</c>; <see cref="TextModelManifests"/> name theirs too). A missing or invalid file stops the start.
    /// Default: none (models are answered by hash).
    /// </summary>
    public IList<string> ModelManifests { get; } = [];

    /// <summary>
    /// The largest Hamming distance (of 256 bits) counted as the same picture. Default
    /// <see cref="PerceptualHash.MatchThreshold"/> (31, PDQ's recommendation); from 0 to 64 (beyond
    /// that unrelated pictures start to match: they lie around 128).
    /// </summary>
    [Range(0, 64)]
    public int PerceptualHashThreshold { get; set; } = PerceptualHash.MatchThreshold;

    /// <summary>
    /// The lowest quality of an uploaded image's perceptual hash that is searched. Default
    /// <see cref="PerceptualHash.MinimumTrustedQuality"/> (50): below it the image is nearly featureless
    /// and would match unrelated flat images. From 0 to 100.
    /// </summary>
    [Range(0, 100)]
    public int MinimumPerceptualHashQuality { get; set; } = PerceptualHash.MinimumTrustedQuality;

    /// <summary>
    /// The largest Hamming distance (of 256 bits) between PDQ hashes counted as a similar picture. Default
    /// <see cref="PdqHash.MatchThreshold"/> (31, the reference's); from 0 to 64. An upload is searched with its eight
    /// dihedral hashes, each against this threshold (docs/verification.md counts the false matches).
    /// </summary>
    [Range(0, 64)]
    public int PdqThreshold { get; set; } = PdqHash.MatchThreshold;

    /// <summary>
    /// The lowest PDQ quality searched and indexed: an upload below it matches nothing by PDQ, and a record that signed a
    /// PDQ below it is never found by one. Default <see cref="PdqHashAndQuality.MinimumTrustedQuality"/> (50, the
    /// reference's); from 0 to 100.
    /// </summary>
    [Range(0, 100)]
    public int MinimumPdqQuality { get; set; } = PdqHashAndQuality.MinimumTrustedQuality;

    /// <summary>The largest uploaded file, in bytes. Default 16 MiB; from 1 KiB to 256 MiB. Larger uploads get 413.</summary>
    [Range(1_024, 256L * 1024 * 1024)]
    public long MaxUploadBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// How many of the 256 bits the perceptual hash (and the PDQ hash) a record claims may differ from the one the ledger
    /// computes from the file the record names by its exact bytes (<see cref="RecordClaimCheck"/>): the
    /// node hashed the same pixels, so honest hashes differ only by floating-point rounding. Default 8;
    /// from 0 to 31 (beyond that another picture's hash could pass).
    /// </summary>
    [Range(0, 31)]
    public int ClaimedPerceptualHashTolerance { get; set; } = 8;

    /// <summary>
    /// The largest uploaded image, in pixels (width × height as its header declares them), checked
    /// before anything is decoded: a small, well-compressed file can declare a huge picture whose
    /// decoding, hashing and watermark reading cost hundreds of MiB and seconds of CPU. Default
    /// 4,194,304 (2048 × 2048, sixteen times what the edge nodes generate); from 65,536 to
    /// <see cref="Imaging.RgbImage.MaxPixels"/>. Larger images get 413.
    /// </summary>
    [Range(65_536, Imaging.RgbImage.MaxPixels)]
    public long MaxUploadPixels { get; set; } = 2048 * 2048;

    /// <summary>How long the live on-chain inclusion check may take before the answer says the chain is away. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan OnChainCheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// About how many batch roots read final on chain are kept in memory, so that their records verify without a chain call
    /// (at most twice this many; roughly 200 bytes each). Default 65,536: at 1,024 records a batch, 67 million records.
    /// </summary>
    [Range(1, 10_000_000)]
    public int KeptRootCapacity { get; set; } = 65_536;

    /// <summary>
    /// About how many signers recovered from stored record signatures are kept in memory, so that a record asked about again
    /// is not recovered again (at most twice this many; roughly 250 bytes each). Default 262,144: at most about 130 MB.
    /// </summary>
    [Range(1, 10_000_000)]
    public int RecoveredSignerCapacity { get; set; } = 262_144;

    /// <summary>How often the perceptual hash index looks for records ingested by other replicas. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan IndexRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many ids below the cursor each refresh re-reads for rows that committed late (see
    /// <see cref="PerceptualHashIndexSync"/>). Default 5,000; from 0 to 1,000,000.
    /// </summary>
    [Range(0, 1_000_000)]
    public int IndexLookbackRecords { get; set; } = 5_000;
}
