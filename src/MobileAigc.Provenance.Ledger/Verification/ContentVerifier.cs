using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Merkle;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Imaging;
using MobileAigc.Provenance.Imaging.PerceptualHashing;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Watermarking;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Decides what the ledger can say about a piece of content: finds its record (exact SHA-256,
/// else an image watermark read with the configured node keys, else the nearest perceptual hash
/// within the threshold), re-checks the node's signature, proves the record's place in its Merkle
/// batch and asks the chain, now, whether that batch root is anchored.
/// </summary>
/// <remarks>
/// <para>Verdict precedence: <c>signature-invalid</c> (the stored record does not check: the database
/// was altered, so nothing else it says is trusted) before <c>revoked</c> before <c>verified</c> (exact
/// bytes) or <c>modified-but-traced</c> (watermark or perceptual hash); <c>unknown</c> when nothing matches.</para>
/// <para>Several records with the same content hash (the same bytes generated twice): the earliest
/// ingested one answers, as the first claim.</para>
/// <para>Text: exact hash, else the nodes' green-list watermark (<see cref="TextWatermarkDetector"/>,
/// with the configured keys and the tokenizers of the configured text models). That watermark names
/// its key, not a record, so edited text is traced to its node and model, with no single record.</para>
/// <para>The chain being away never fails a verification: the answer then says
/// <c>rootCheckedOnChain: false</c> with the reason.</para>
/// </remarks>
public sealed partial class ContentVerifier
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly LedgerChain _chain;
    private readonly PerceptualHashIndexSync _index;
    private readonly WatermarkKeyRing _keys;
    private readonly TextWatermarkDetector _text;
    private readonly VerificationOptions _options;
    private readonly RecordSignatureVerifier _signatures;
    private readonly ILogger<ContentVerifier> _logger;

    /// <summary>Creates the verifier; it is thread-safe and meant to be a singleton.</summary>
    public ContentVerifier(
        IDbContextFactory<LedgerDbContext> databases,
        LedgerChain chain,
        PerceptualHashIndexSync index,
        WatermarkKeyRing keys,
        TextWatermarkDetector text,
        IOptions<VerificationOptions> options,
        ILogger<ContentVerifier> logger)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        _databases = databases;
        _chain = chain;
        _index = index;
        _keys = keys;
        _text = text;
        _options = options.Value;
        _signatures = new RecordSignatureVerifier(chain.Domain);
        _logger = logger;
    }

    /// <summary>Verifies by SHA-256 of the file alone (exact match only: no watermark or perceptual search is possible without the file).</summary>
    public async Task<VerificationResult> VerifyHashAsync(Bytes32 contentHash, CancellationToken cancellationToken)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var record = await FindByContentHashAsync(db, contentHash, cancellationToken).ConfigureAwait(false);
        return record is null
            ? Unknown(contentHash)
            : await DescribeAsync(db, contentHash, record, new VerificationMatch(VerificationMatchMethod.ContentHash, null, null, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies a file: PNG or JPEG (exact hash, then watermark, then perceptual hash) or UTF-8
    /// text (exact hash, then text watermark). The file is classified and, for images, fully decoded before anything is looked up.
    /// </summary>
    /// <exception cref="UnsupportedContentException">Empty, too large, not PNG/JPEG/UTF-8 text, or an image that is truncated or corrupt.</exception>
    public async Task<VerificationResult> VerifyFileAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var contentHash = Bytes32.Sha256(file.Span);
        var image = ReadContent(file.Span);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var exact = await FindByContentHashAsync(db, contentHash, cancellationToken).ConfigureAwait(false);
        if (exact is not null)
        {
            return await DescribeAsync(db, contentHash, exact, new VerificationMatch(VerificationMatchMethod.ContentHash, null, null, null), cancellationToken).ConfigureAwait(false);
        }

        if (image is null)
        {
            return await TraceTextAsync(db, contentHash, PlainText.Decode(file.Span), cancellationToken).ConfigureAwait(false)
                ?? Unknown(contentHash);
        }

        var traced = await TraceImageAsync(db, image, maxResults: 1, cancellationToken).ConfigureAwait(false);
        return traced.Count == 0
            ? Unknown(contentHash)
            : await DescribeAsync(db, contentHash, traced[0].Record, traced[0].Match, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every record the file leads to, best first, for the C2PA <c>matches/byContent</c> lookup:
    /// exact hash matches, then the watermark's record, then perceptual neighbours, without duplicates.
    /// </summary>
    /// <exception cref="UnsupportedContentException">As <see cref="VerifyFileAsync"/>.</exception>
    public async Task<IReadOnlyList<RecordMatch>> MatchContentAsync(ReadOnlyMemory<byte> file, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var contentHash = Bytes32.Sha256(file.Span);
        var image = ReadContent(file.Span);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var matches = (await RecordLookup.ByContentHash(db, contentHash).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false))
            .Select(r => new ContentMatch(r, new VerificationMatch(VerificationMatchMethod.ContentHash, null, null, null)))
            .ToList();
        if (image is not null && matches.Count < maxResults)
        {
            matches.AddRange(await TraceImageAsync(db, image, maxResults, cancellationToken).ConfigureAwait(false));
        }

        return [.. matches.DistinctBy(m => m.Record.Id).Take(maxResults).Select(ToRecordMatch)];
    }

    /// <summary>The records carrying an image watermark payload, earliest first (normally one: payloads are random 64-bit values).</summary>
    public async Task<IReadOnlyList<RecordMatch>> MatchWatermarkAsync(ulong payload, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (payload == 0)
        {
            // A zero watermark id means "no watermark" in a record: it must never match them all.
            return [];
        }

        var watermarkId = WatermarkIds.FromImagePayload(payload);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var records = await RecordLookup.ByWatermark(db, watermarkId).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Select(r => new RecordMatch(r.Digest, VerificationMatchMethod.ImageWatermark, 100))];
    }

    /// <summary>The records whose perceptual hash lies within the threshold of <paramref name="hash"/>, nearest first.</summary>
    public async Task<IReadOnlyList<RecordMatch>> MatchPerceptualHashAsync(Bytes32 hash, int maxResults, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        if (hash.IsZero)
        {
            return [];
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var found = await NearestAsync(db, hash, maxResults, cancellationToken).ConfigureAwait(false);
        return [.. found.Select(ToRecordMatch)];
    }

    private RecordMatch ToRecordMatch(ContentMatch match) => new(
        match.Record.Digest,
        match.Match.Method,
        match.Match.HammingDistance is { } distance ? Similarity(distance) : 100);

    // 100 for identical hashes, falling linearly to about 0 at the threshold.
    private int Similarity(int distance) => (int)Math.Round(100.0 * (1 - (distance / (_options.PerceptualHashThreshold + 1.0))));

    private static Task<StoredRecord?> FindByContentHashAsync(LedgerDbContext db, Bytes32 contentHash, CancellationToken cancellationToken) =>
        RecordLookup.ByContentHash(db, contentHash).FirstOrDefaultAsync(cancellationToken);

    private async Task<List<ContentMatch>> TraceImageAsync(LedgerDbContext db, RgbImage image, int maxResults, CancellationToken cancellationToken)
    {
        var found = new List<ContentMatch>();
        if (_keys.ReadImage(image, cancellationToken) is { Payload: not 0 } hit)
        {
            var watermarkId = WatermarkIds.FromImagePayload(hit.Payload);
            var marked = await RecordLookup.ByWatermark(db, watermarkId).Take(maxResults).ToListAsync(cancellationToken).ConfigureAwait(false);
            found.AddRange(marked.Select(r => new ContentMatch(r, new VerificationMatch(VerificationMatchMethod.ImageWatermark, null, null, hit.Confidence))));
            if (found.Count >= maxResults)
            {
                return found;
            }
        }

        var hash = PerceptualHasher.Compute(image);
        if (hash.Quality < _options.MinimumPerceptualHashQuality)
        {
            return found;
        }

        found.AddRange(await NearestAsync(db, hash.Bits, maxResults, cancellationToken).ConfigureAwait(false));
        return found;
    }

    private async Task<VerificationResult?> TraceTextAsync(LedgerDbContext db, Bytes32 contentHash, string text, CancellationToken cancellationToken)
    {
        if (_text.Detect(text) is not { } hit)
        {
            return null;
        }

        var marked = RecordLookup.ByWatermark(db, hit.WatermarkId);
        if (hit.Model.ModelHash is { } modelHash)
        {
            marked = marked.Where(r => r.ModelHash == modelHash);
        }

        // The key's earliest record names the node (one key per node) and the model.
        var first = await marked.Select(r => new { r.Node, r.ModelHash }).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            // A key the ledger holds but that no stored record carries: nothing recorded to trace to.
            return null;
        }

        var (node, model) = await DescribeSourceAsync(db, first.Node, first.ModelHash, cancellationToken).ConfigureAwait(false);
        var evidence = hit.Evidence;
        return new VerificationResult(
            VerificationVerdict.ModifiedButTraced,
            $"The text matches no record exactly, but it carries the text watermark of node {first.Node} (model {hit.Model.Name}): "
                + $"z = {evidence.ZScore:0.0} over {evidence.ScoredTokens} tokens, chance without the watermark {evidence.AdjustedPValue:0.#e+0}. "
                + "A text watermark names its node, not a single record.",
            contentHash,
            new VerificationMatch(VerificationMatchMethod.TextWatermark, null, null, null, evidence),
            null,
            node,
            model,
            null,
            null,
            null);
    }

    private async Task<List<ContentMatch>> NearestAsync(LedgerDbContext db, Bytes32 hash, int maxResults, CancellationToken cancellationToken)
    {
        // Records ingested a moment ago (here or by another replica) are searchable at once.
        await _index.CatchUpAsync(lookBack: false, cancellationToken).ConfigureAwait(false);
        var threshold = _options.PerceptualHashThreshold;
        var nearest = _index.Index.Search(hash, threshold, maxResults);
        if (nearest.Count == 0)
        {
            return [];
        }

        var ids = nearest.Select(n => n.RecordId).ToList();
        var records = await db.Records.AsNoTracking().Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken).ConfigureAwait(false);
        return [.. nearest
            .Where(n => records.ContainsKey(n.RecordId))
            .Select(n => new ContentMatch(records[n.RecordId], new VerificationMatch(VerificationMatchMethod.PerceptualHash, n.Distance, threshold, null)))];
    }

    /// <summary>Classifies the upload; decodes images (the only way to know a PNG/JPEG is whole).</summary>
    private RgbImage? ReadContent(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty)
        {
            throw new UnsupportedContentException(UnsupportedContentReason.Empty, "The file is empty.");
        }

        if (file.Length > _options.MaxUploadBytes)
        {
            throw new UnsupportedContentException(UnsupportedContentReason.TooLarge, $"The file is {file.Length:N0} bytes; the limit is {_options.MaxUploadBytes:N0}.");
        }

        if (ImageCodec.Sniff(file) is not null)
        {
            try
            {
                return ImageCodec.Decode(file);
            }
            catch (UnreadableImageException e)
            {
                throw new UnsupportedContentException(
                    e.Reason switch
                    {
                        UnreadableImageReason.Empty => UnsupportedContentReason.Empty,
                        UnreadableImageReason.UnsupportedFormat => UnsupportedContentReason.UnsupportedType,
                        UnreadableImageReason.TooLarge => UnsupportedContentReason.TooLarge,
                        _ => UnsupportedContentReason.Unreadable,
                    },
                    e.Message,
                    e);
            }
        }

        return PlainText.IsText(file)
            ? null
            : throw new UnsupportedContentException(
                UnsupportedContentReason.UnsupportedType, "The file is neither a PNG or JPEG image nor UTF-8 text.");
    }

    private async Task<VerificationResult> DescribeAsync(
        LedgerDbContext db, Bytes32 contentHash, StoredRecord stored, VerificationMatch match, CancellationToken cancellationToken)
    {
        var (node, model) = await DescribeSourceAsync(db, stored.Node, stored.ModelHash, cancellationToken).ConfigureAwait(false);
        var batch = stored.BatchId is { } batchId
            ? await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId, cancellationToken).ConfigureAwait(false)
            : null;

        var (record, signature) = CheckSignature(stored);
        var anchoring = await CheckAnchoringAsync(stored, batch, cancellationToken).ConfigureAwait(false);
        var revocation = stored.RevokedAt is { } revokedAt ? new RecordRevocation(revokedAt, stored.RevocationReason) : null;
        var verdict = !signature.Valid ? VerificationVerdict.SignatureInvalid
            : revocation is not null ? VerificationVerdict.Revoked
            : match.Method == VerificationMatchMethod.ContentHash ? VerificationVerdict.Verified
            : VerificationVerdict.ModifiedButTraced;

        return new VerificationResult(
            verdict,
            Summarise(verdict, match, anchoring),
            contentHash,
            match,
            record is null ? null : new VerifiedRecord(stored.Digest, record, "0x" + Convert.ToHexStringLower(stored.Signature), stored.ReceivedAt),
            node,
            model,
            signature,
            anchoring,
            revocation);
    }

    // The node and model as the registry mirror knows them (operator, owner, terms); unknown fields stay null.
    private static async Task<(VerifiedNode Node, VerifiedModel Model)> DescribeSourceAsync(
        LedgerDbContext db, EvmAddress nodeAddress, Bytes32 modelHash, CancellationToken cancellationToken)
    {
        var node = await db.Nodes.AsNoTracking().FirstOrDefaultAsync(n => n.Node == nodeAddress, cancellationToken).ConfigureAwait(false);
        var model = await db.Models.AsNoTracking().FirstOrDefaultAsync(m => m.ModelHash == modelHash, cancellationToken).ConfigureAwait(false);
        return (
            new VerifiedNode(nodeAddress, node?.Operator, node?.Registered),
            new VerifiedModel(modelHash, model?.Owner, model?.MetadataUri, model?.PricePerGeneration, model?.RoyaltyBasisPoints, model?.Active));
    }

    private (ProvenanceRecord? Record, SignatureCheck Check) CheckSignature(StoredRecord stored)
    {
        ProvenanceRecord record;
        try
        {
            record = stored.ToRecord();
        }
        catch (OverflowException)
        {
            return (null, new SignatureCheck(false, null, "The stored record has out-of-range fields (negative timestamp or sequence): the database was altered."));
        }

        if (_signatures.Digest(record) != stored.Digest)
        {
            return (record, new SignatureCheck(false, null, "The stored fields do not hash to the stored digest: the database was altered."));
        }

        EcdsaSignature signature;
        try
        {
            signature = EcdsaSignature.FromBytes(stored.Signature);
        }
        catch (InvalidSignatureException e)
        {
            return (record, new SignatureCheck(false, null, "The stored signature is malformed: " + e.Message));
        }

        if (!_signatures.TryRecoverSigner(record, signature, out var signer))
        {
            return (record, new SignatureCheck(false, null, "The stored signature recovers to no key."));
        }

        return signer == record.Node
            ? (record, new SignatureCheck(true, signer, "The signature recovers to the record's node (EIP-712, ledger contract domain)."))
            : (record, new SignatureCheck(false, signer, $"The signature recovers to {signer}, not to the record's node {record.Node}."));
    }

    private async Task<AnchoringCheck?> CheckAnchoringAsync(StoredRecord stored, AnchorBatch? batch, CancellationToken cancellationToken)
    {
        if (RecordProofs.Of(stored, batch) is not { } inclusion)
        {
            return null;
        }

        var proofValid = MerkleTree.Verify(inclusion.Root, stored.Digest, inclusion.Proof);
        var (checkedOnChain, detail) = inclusion.Batch.State == BatchState.Anchored
            ? await CheckOnChainAsync(inclusion.Root, stored.Digest, inclusion.Proof, cancellationToken).ConfigureAwait(false)
            : (false, $"The batch is {inclusion.Batch.State.ToString().ToLowerInvariant()}: its root is not confirmed on chain yet.");
        return new AnchoringCheck(inclusion, proofValid, checkedOnChain, detail);
    }

    private async Task<(bool Checked, string Detail)> CheckOnChainAsync(Bytes32 root, Bytes32 digest, IReadOnlyList<Bytes32> proof, CancellationToken cancellationToken)
    {
        try
        {
            var included = await _chain.Ledger.VerifyInclusionAsync(root, digest, proof)
                .WaitAsync(_options.OnChainCheckTimeout, cancellationToken).ConfigureAwait(false);
            return included
                ? (true, $"ProvenanceLedger {_chain.Ledger.Address} confirmed the root and the proof just now.")
                : (false, $"ProvenanceLedger {_chain.Ledger.Address} does not confirm this root and proof.");
        }
        catch (TimeoutException)
        {
            LogChainAway(_logger, null);
            return (false, $"The chain did not answer within {_options.OnChainCheckTimeout.TotalSeconds:0.#} s; the root could not be re-checked now.");
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            LogChainAway(_logger, e);
            return (false, "The chain could not be reached; the root could not be re-checked now.");
        }
    }

    private static VerificationResult Unknown(Bytes32 contentHash) => new(
        VerificationVerdict.Unknown,
        "Nothing in this ledger matches the content: no record has its hash, no known watermark was found and no recorded image looks like it.",
        contentHash, null, null, null, null, null, null, null);

    private static string Summarise(VerificationVerdict verdict, VerificationMatch match, AnchoringCheck? anchoring)
    {
        var how = match.Method switch
        {
            VerificationMatchMethod.ContentHash => "the exact bytes",
            VerificationMatchMethod.ImageWatermark => "the image's watermark",
            _ => $"the image's perceptual hash ({match.HammingDistance} of 256 bits differ)",
        };
        var anchored = anchoring switch
        {
            null => " It is not anchored on chain yet.",
            { RootCheckedOnChain: true } => " Its anchoring on chain was re-checked just now.",
            _ => " " + anchoring.OnChainDetail,
        };
        return verdict switch
        {
            VerificationVerdict.SignatureInvalid => $"A record was found through {how}, but its stored signature does not check: do not trust it.",
            VerificationVerdict.Revoked => $"A record was found through {how}, but its node's operator revoked it.",
            VerificationVerdict.Verified => "These exact bytes were generated and signed by a registered node." + anchored,
            _ => $"The file differs from what was generated, but {how} leads to the original record." + anchored,
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification: the on-chain inclusion check failed; answering without it.")]
    private static partial void LogChainAway(ILogger logger, Exception? exception);

    private sealed record ContentMatch(StoredRecord Record, VerificationMatch Match);
}

/// <summary>A record a soft-binding lookup found.</summary>
/// <param name="RecordDigest">The record's id.</param>
/// <param name="Method">How it was found.</param>
/// <param name="SimilarityScore">0 (weakest) to 100 (exact, or a watermark read).</param>
public sealed record RecordMatch(Bytes32 RecordDigest, VerificationMatchMethod Method, int SimilarityScore);
