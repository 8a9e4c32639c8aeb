using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Lineage;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Decides what the ledger can say about a piece of content: checks the upload
/// (<see cref="UploadReader"/>), asks the tracers in order until one finds where the content came
/// from (<see cref="IContentTracer"/>: exact hash, image watermark, perceptual hash, text watermark),
/// has the record attested (<see cref="RecordAttestor"/>) and words the verdict.
/// </summary>
/// <remarks>
/// <para>Verdict precedence: <c>signature-invalid</c> (the stored record does not check: the database
/// was altered, so nothing else it says is trusted) before <c>revoked</c> before <c>content-mismatch</c>
/// (an uploaded file matched by its exact bytes contradicts the record's perceptual hash or watermark id,
/// <see cref="RecordClaimCheck"/>, or its Content Credentials name another record, content hash or node) before <c>verified</c> (exact bytes) or <c>modified-but-traced</c>
/// (any other tracer); <c>unknown</c> when no tracer finds anything.</para>
/// <para>Several records found by one tracer: its best answers (the nearest perceptual hash; for the
/// exact hash and the watermark, the earliest ingested record, as the first claim: the same bytes
/// generated twice).</para>
/// <para>Thread-safe; meant to be a singleton.</para>
/// </remarks>
public sealed class ContentVerifier
{
    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly UploadReader _uploads;
    private readonly IReadOnlyList<IContentTracer> _tracers;
    private readonly ContentHashTracer _exact;
    private readonly RecordAttestor _attestor;
    private readonly RecordClaimCheck _claims;
    private readonly CredentialsInspection? _credentials;
    private readonly ModelNames _modelNames;
    private readonly SqliteReadConnections? _hashReads;

    /// <summary>Creates the verifier.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="uploads">Checks uploads before anything is looked up.</param>
    /// <param name="tracers">The tracers, in the order they are tried.</param>
    /// <param name="exact">The exact-hash tracer, for verification by hash alone.</param>
    /// <param name="attestor">Re-checks a found record.</param>
    /// <param name="claims">Re-checks a record's perceptual hash and watermark id against the file it names.</param>
    /// <param name="credentials">Reads an uploaded image's Content Credentials; null to leave them unread.</param>
    /// <param name="modelNames">Names the models of a derivative's lineage; none when null.</param>
    /// <param name="hashReads">On SQLite, connections that keep their compiled statements, for verification by hash; null to use <paramref name="databases"/>.</param>
    public ContentVerifier(
        IDbContextFactory<LedgerDbContext> databases,
        UploadReader uploads,
        IEnumerable<IContentTracer> tracers,
        ContentHashTracer exact,
        RecordAttestor attestor,
        RecordClaimCheck claims,
        CredentialsInspection? credentials = null,
        ModelNames? modelNames = null,
        SqliteReadConnections? hashReads = null)
    {
        ArgumentNullException.ThrowIfNull(tracers);
        _databases = databases;
        _uploads = uploads;
        _tracers = [.. tracers];
        _exact = exact;
        _attestor = attestor;
        _claims = claims;
        _credentials = credentials;
        _modelNames = modelNames ?? ModelNames.None;
        _hashReads = hashReads;
    }

    /// <summary>Verifies by SHA-256 of the file alone (exact match only: no watermark or perceptual search is possible without the file).</summary>
    public async Task<VerificationResult> VerifyHashAsync(Bytes32 contentHash, CancellationToken cancellationToken)
    {
        if (_hashReads is not null)
        {
            // The ledger's most frequent request: on SQLite, its statements are compiled once per kept connection.
            await using var lease = _hashReads.Rent();
            return await VerifyHashAsync(lease.Context, contentHash, cancellationToken).ConfigureAwait(false);
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await VerifyHashAsync(db, contentHash, cancellationToken).ConfigureAwait(false);
    }

    private async Task<VerificationResult> VerifyHashAsync(LedgerDbContext db, Bytes32 contentHash, CancellationToken cancellationToken)
    {
        var traces = await _exact.TraceAsync(contentHash, db, maxResults: 1, cancellationToken).ConfigureAwait(false);
        return await AnswerAsync(db, contentHash, null, null, traces, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Verifies a file: PNG, JPEG or WebP (exact hash, then watermark, then perceptual hash) or UTF-8
    /// text (exact hash, then text watermark). The file is classified and, for images, fully decoded before anything is looked up.
    /// </summary>
    /// <exception cref="UnsupportedContentException">Empty, too large, not PNG/JPEG/WebP/UTF-8 text, or an image that is truncated or corrupt.</exception>
    public async Task<VerificationResult> VerifyFileAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var upload = _uploads.Read(file);
        var credentials = _credentials?.Inspect(upload);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var tracer in _tracers)
        {
            var traces = await tracer.TraceAsync(upload, db, maxResults: 1, cancellationToken).ConfigureAwait(false);
            if (traces.Count > 0)
            {
                return await AnswerAsync(db, upload.ContentHash, upload, credentials, traces, cancellationToken).ConfigureAwait(false);
            }
        }

        return Unknown(upload.ContentHash) with { Credentials = credentials };
    }

    private async Task<VerificationResult> AnswerAsync(
        LedgerDbContext db, Bytes32 contentHash, ContentUpload? upload, ContentCredentialsReport? credentials, IReadOnlyList<ContentTrace> traces, CancellationToken cancellationToken)
    {
        switch (traces.Count == 0 ? null : traces[0])
        {
            case RecordTrace found:
                var attestation = await _attestor.AttestAsync(db, found.Record, cancellationToken).ConfigureAwait(false);
                // The file is the record's own: whatever the record says about it can be recomputed.
                var claims = upload is not null && found.Match.Method == VerificationMatchMethod.ContentHash
                    ? _claims.Check(upload, found.Record, cancellationToken)
                    : null;
                var joined = credentials is null ? null : CredentialsInspection.JoinRecord(credentials, found.Record);
                var verdict = VerdictOf(found, attestation, claims, joined);
                var lineage = await RecordLineageWalk.TraceAsync(db, found.Record, cancellationToken).ConfigureAwait(false);
                return new VerificationResult(
                    verdict, Summarise(verdict, found, attestation.Anchoring, claims, joined), contentHash, found.Match, attestation.Record,
                    attestation.Node, attestation.Model, attestation.Signature, attestation.Anchoring, attestation.Revocation, claims, lineage, joined,
                    attestation.ModelIsDerivative ? await DerivativeLineageAsync(db, found.Record.ModelHash, cancellationToken).ConfigureAwait(false) : null);
            case OriginTrace origin:
                var (node, model, derivative) = await _attestor.DescribeOriginAsync(db, origin.Node, origin.ModelHash, cancellationToken).ConfigureAwait(false);
                return new VerificationResult(
                    VerificationVerdict.ModifiedButTraced, origin.Finding, contentHash, origin.Match, null, node, model, null, null, null, Credentials: credentials,
                    ModelLineage: derivative ? await DerivativeLineageAsync(db, origin.ModelHash, cancellationToken).ConfigureAwait(false) : null);
            default:
                return Unknown(contentHash) with { Credentials = credentials };
        }
    }

    // Only a derivative has a lineage worth showing: a root model's would repeat the model block. Callers skip the walk (two
    // queries) when the model row the attestation read names no parent, which is the common case.
    private async Task<IReadOnlyList<LineageModel>?> DerivativeLineageAsync(LedgerDbContext db, Bytes32 modelHash, CancellationToken cancellationToken)
    {
        var lineage = await ModelLineageWalk.WalkAsync(db, modelHash, _modelNames.Of, cancellationToken).ConfigureAwait(false);
        return lineage is { Models.Count: > 1 } ? lineage.Models : null;
    }

    private static VerificationVerdict VerdictOf(RecordTrace found, RecordAttestation attestation, ContentClaimsCheck? claims, ContentCredentialsReport? credentials) =>
        !attestation.Signature.Valid ? VerificationVerdict.SignatureInvalid
        : attestation.Revocation is not null ? VerificationVerdict.Revoked
        : claims is { Hold: false } || (found.Match.Method == VerificationMatchMethod.ContentHash && CredentialsInspection.Contradicts(credentials)) ? VerificationVerdict.ContentMismatch
        : found.Match.Method == VerificationMatchMethod.ContentHash ? VerificationVerdict.Verified
        : VerificationVerdict.ModifiedButTraced;

    private static VerificationResult Unknown(Bytes32 contentHash) => new(
        VerificationVerdict.Unknown,
        "Nothing in this ledger matches the content: no record has its hash, no known watermark was found and no recorded image looks like it.",
        contentHash, null, null, null, null, null, null, null);

    private static string Summarise(VerificationVerdict verdict, RecordTrace found, AnchoringCheck? anchoring, ContentClaimsCheck? claims, ContentCredentialsReport? credentials)
    {
        var anchored = anchoring switch
        {
            null => " It is not anchored on chain yet.",
            { RootCheckedOnChain: true, RootChecked: { } read } => $" Its batch root was read on chain at block {read.Block}{(read.Final ? " with its confirmations" : "")}, and its proof leads to it.",
            _ => " " + anchoring.OnChainDetail,
        };
        return verdict switch
        {
            VerificationVerdict.SignatureInvalid => $"A record was found through {found.Evidence}, but its stored signature does not check: do not trust it.",
            VerificationVerdict.Revoked => $"A record was found through {found.Evidence}, but its node's operator revoked it.",
            VerificationVerdict.ContentMismatch when claims is { Hold: false } => "These exact bytes were signed by a node, but the record's claims about them are false: "
                + string.Join(" ", claims.Contradicted.Select(c => c.Detail)),
            VerificationVerdict.ContentMismatch => "The file's content was signed by a node, but its Content Credentials contradict the record: "
                + string.Join(" ", credentials!.Record!.Problems),
            VerificationVerdict.Verified when found.Match.MatchedBy == ExactHashMatch.DeliveredFile =>
                "These exact bytes are the file a registered node delivered, Content Credentials included, and signed the hash of for its record." + anchored,
            VerificationVerdict.Verified => "These exact bytes were generated and signed by a registered node." + anchored,
            _ => $"The file differs from what was generated, but {found.Evidence} leads to the original record." + anchored,
        };
    }
}
