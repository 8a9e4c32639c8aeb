using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// One way of tracing content back to where it came from (exact hash, a watermark, a perceptual hash,
/// ...). Verification tries the registered tracers in registration order
/// (<see cref="VerificationServiceCollectionExtensions.AddVerification"/>) and answers with the first
/// that finds anything, so a new strategy is a new tracer and one registration line.
/// </summary>
/// <remarks>Implementations are singletons: thread-safe, with per-call state only.</remarks>
public interface IContentTracer
{
    /// <summary>
    /// Whether its traces name records (<see cref="RecordTrace"/>). The C2PA <c>matches/byContent</c>
    /// lookup lists records, so it asks only these tracers.
    /// </summary>
    bool NamesRecords { get; }

    /// <summary>
    /// What the upload leads to, best first, at most <paramref name="maxResults"/>; empty when this
    /// tracer finds nothing or does not read this kind of content (an image tracer given text).
    /// </summary>
    /// <param name="upload">The checked upload.</param>
    /// <param name="db">The request's database context, shared by the tracers of one request.</param>
    /// <param name="maxResults">At least 1.</param>
    /// <param name="cancellationToken">Cancels the lookups.</param>
    Task<IReadOnlyList<ContentTrace>> TraceAsync(ContentUpload upload, LedgerDbContext db, int maxResults, CancellationToken cancellationToken);
}
