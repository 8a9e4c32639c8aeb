using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Credentials.Manifests;
using MobileAigc.Provenance.Ledger.Ingest;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Manifests;

/// <summary>
/// Keeps the C2PA manifest stores that nodes send with their records (<see cref="SignedProvenanceRecord.ManifestStore"/>)
/// and finds them by manifest label for the Soft Binding Resolution API. A store is kept only for an accepted
/// record and only when <see cref="IManifestStoreCheck"/> accepts it for that record; the first store kept for a
/// record is never replaced: the same bytes again are a no-op, different ones are not kept
/// (<see cref="RecordProblemTypes.ManifestStoreConflict"/>). A store not kept never refuses its record.
/// </summary>
/// <remarks>Thread-safe; meant to be a singleton. Several replicas may keep stores in one database: the
/// primary key on the record digest settles a race, after which the loser's store is compared again.</remarks>
public sealed class ManifestStoreKeeper
{
    // A race lost to another request is settled by one more comparison; more only guard against a burst of them.
    private const int MaxKeepAttempts = 3;

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly IManifestStoreCheck _check;
    private readonly ManifestStoreOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the keeper.</summary>
    public ManifestStoreKeeper(
        IDbContextFactory<LedgerDbContext> databases, IManifestStoreCheck check, IOptions<ManifestStoreOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _databases = databases;
        _check = check;
        _options = options.Value;
        _time = time;
    }

    /// <summary>
    /// Checks and keeps the stores sent with the accepted records of a request; a refused record's store is
    /// neither checked nor kept. Returns the stores not kept, by request index, with why: different from the store
    /// the ledger already keeps for the record (<see cref="RecordProblemTypes.ManifestStoreConflict"/>, whether
    /// valid or not: such a store is not checked), too large or refused by <see cref="IManifestStoreCheck"/>
    /// (<see cref="RecordProblemTypes.InvalidManifestStore"/>), or different from an earlier valid one in the same
    /// request or from one another request kept in between (<see cref="RecordProblemTypes.ManifestStoreConflict"/>).
    /// The records themselves are not touched: a store never refuses its record.
    /// </summary>
    /// <param name="records">The request's records.</param>
    /// <param name="outcomes">Their ingest outcomes, in the same order (the digests come from them).</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    /// <exception cref="DbUpdateException">When the database fails for another reason than a lost race.</exception>
    public async Task<IReadOnlyList<ManifestStoreRefusal>> KeepForAcceptedAsync(
        IReadOnlyList<SignedProvenanceRecord> records, IReadOnlyList<RecordIngestOutcome> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (records.Count != outcomes.Count)
        {
            throw new ArgumentException($"{outcomes.Count} outcomes for {records.Count} records.", nameof(outcomes));
        }

        var sent = Enumerable.Range(0, records.Count).Where(i => outcomes[i].Accepted && records[i].ManifestStore is not null)
            .Select(i => new ManifestStoreSubmission(i, outcomes[i].Digest, records[i].ManifestStore!)).ToList();
        if (sent.Count == 0)
        {
            return [];
        }

        // A record that already has a store settles its submission without the costly check: the same bytes are a
        // no-op, others a conflict. So a replayed batch (a node's retry, or anyone resending signed records) costs a lookup.
        Dictionary<Bytes32, Bytes32> kept;
        await using (var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            kept = await KeptHashesAsync(db, sent, cancellationToken).ConfigureAwait(false);
        }

        var refusals = new List<ManifestStoreRefusal>();
        var toCheck = new List<ManifestStoreSubmission>();
        foreach (var submission in sent)
        {
            if (!kept.TryGetValue(submission.RecordDigest, out var keptHash))
            {
                toCheck.Add(submission);
                continue;
            }

            var hash = Bytes32.Sha256(submission.Store);
            if (hash != keptHash)
            {
                refusals.Add(Conflict(submission, keptHash, hash));
            }
        }

        // The full check costs milliseconds of CPU per store (docs/security.md, known risk 16): one request's stores are
        // checked on every core, as ingest checks its records' signatures.
        var problems = new string?[toCheck.Count];
        Parallel.For(0, toCheck.Count, new ParallelOptions { CancellationToken = cancellationToken }, k =>
            problems[k] = RefuseContent(toCheck[k].Store, records[toCheck[k].Index], toCheck[k].RecordDigest));
        var valid = new List<ManifestStoreSubmission>();
        for (var k = 0; k < toCheck.Count; k++)
        {
            if (problems[k] is { } problem)
            {
                refusals.Add(new ManifestStoreRefusal(toCheck[k].Index, toCheck[k].RecordDigest, RecordProblemTypes.InvalidManifestStore, problem));
            }
            else
            {
                valid.Add(toCheck[k]);
            }
        }

        refusals.AddRange(await KeepAsync(valid, cancellationToken).ConfigureAwait(false));
        return [.. refusals.OrderBy(r => r.Index)];
    }

    /// <summary>Why <paramref name="store"/> cannot be kept for its record whatever the database holds (too large, or refused by <see cref="IManifestStoreCheck"/>); null when it can.</summary>
    /// <param name="store">The store sent with <paramref name="signed"/>.</param>
    /// <param name="signed">The record it came with.</param>
    /// <param name="recordDigest">The record's digest.</param>
    public string? RefuseContent(byte[] store, SignedProvenanceRecord signed, Bytes32 recordDigest)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Length > _options.MaxStoreBytes
            ? string.Create(CultureInfo.InvariantCulture, $"The manifest store has {store.Length:N0} bytes; the ledger keeps at most {_options.MaxStoreBytes:N0}.")
            : _check.Refuse(store, signed, recordDigest);
    }

    /// <summary>
    /// Keeps stores already checked for their records, for the records that have none yet; a store equal to the
    /// kept one is a no-op. Returns the submissions refused because their record has a different store (kept
    /// before, kept by another request in between, or earlier in <paramref name="submissions"/>); the others are kept.
    /// </summary>
    /// <exception cref="DbUpdateException">When the database fails for another reason than a lost race.</exception>
    public Task<IReadOnlyList<ManifestStoreRefusal>> KeepAsync(
        IReadOnlyList<ManifestStoreSubmission> submissions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        return KeepAsync(submissions, attempt: 1, cancellationToken);
    }

    /// <summary>The store whose active manifest is labelled <paramref name="manifestLabel"/>; null when the ledger keeps none.</summary>
    public async Task<StoredManifestStore?> FindAsync(string manifestLabel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifestLabel);
        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.ManifestStores.AsNoTracking().SingleOrDefaultAsync(m => m.ManifestLabel == manifestLabel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Which of <paramref name="recordDigests"/> have a kept store: the records the soft-binding API can list.</summary>
    public static async Task<IReadOnlySet<Bytes32>> WithStoresAsync(
        LedgerDbContext db, IReadOnlyCollection<Bytes32> recordDigests, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(recordDigests);
        if (recordDigests.Count == 0)
        {
            return new HashSet<Bytes32>();
        }

        var found = await db.ManifestStores.AsNoTracking().Where(m => recordDigests.Contains(m.RecordDigest)).Select(m => m.RecordDigest)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        return found.ToHashSet();
    }

    private async Task<IReadOnlyList<ManifestStoreRefusal>> KeepAsync(
        IReadOnlyList<ManifestStoreSubmission> submissions, int attempt, CancellationToken cancellationToken)
    {
        var conflicts = await FindConflictsAsync(submissions, cancellationToken).ConfigureAwait(false);
        var keep = submissions.Where(s => !conflicts.Any(c => c.Index == s.Index)).ToList();
        if (keep.Count == 0)
        {
            return conflicts;
        }

        try
        {
            await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            var kept = await KeptHashesAsync(db, keep, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            foreach (var submission in keep.Where(s => !kept.ContainsKey(s.RecordDigest)).DistinctBy(s => s.RecordDigest))
            {
                db.ManifestStores.Add(new StoredManifestStore
                {
                    RecordDigest = submission.RecordDigest,
                    ManifestLabel = RecordManifestLabel.For(submission.RecordDigest),
                    Store = submission.Store,
                    StoreHash = Bytes32.Sha256(submission.Store),
                    ReceivedAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return conflicts;
        }
        catch (DbUpdateException e) when (attempt < MaxKeepAttempts && UniqueViolation.Is(e))
        {
            // Another request kept a store for one of these records in between: compare with it again.
            return await KeepAsync(submissions, attempt + 1, cancellationToken).ConfigureAwait(false);
        }
    }

    // The submissions whose record already has another store, kept or earlier in the request (compared by SHA-256).
    private async Task<IReadOnlyList<ManifestStoreRefusal>> FindConflictsAsync(
        IReadOnlyList<ManifestStoreSubmission> submissions, CancellationToken cancellationToken)
    {
        if (submissions.Count == 0)
        {
            return [];
        }

        await using var db = await _databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var kept = await KeptHashesAsync(db, submissions, cancellationToken).ConfigureAwait(false);
        var refusals = new List<ManifestStoreRefusal>();
        var inRequest = new Dictionary<Bytes32, Bytes32>();
        foreach (var submission in submissions)
        {
            var hash = Bytes32.Sha256(submission.Store);
            var other = kept.TryGetValue(submission.RecordDigest, out var keptHash) ? keptHash
                : inRequest.TryGetValue(submission.RecordDigest, out var earlier) ? earlier
                : (Bytes32?)null;
            if (other is { } otherHash && otherHash != hash)
            {
                refusals.Add(Conflict(submission, otherHash, hash));
            }

            inRequest.TryAdd(submission.RecordDigest, hash);
        }

        return refusals;
    }

    private static async Task<Dictionary<Bytes32, Bytes32>> KeptHashesAsync(
        LedgerDbContext db, IReadOnlyList<ManifestStoreSubmission> submissions, CancellationToken cancellationToken)
    {
        var digests = submissions.Select(s => s.RecordDigest).Distinct().ToList();
        return await db.ManifestStores.AsNoTracking().Where(m => digests.Contains(m.RecordDigest))
            .ToDictionaryAsync(m => m.RecordDigest, m => m.StoreHash, cancellationToken).ConfigureAwait(false);
    }

    private static ManifestStoreRefusal Conflict(ManifestStoreSubmission submission, Bytes32 kept, Bytes32 sent) => new(
        submission.Index, submission.RecordDigest, RecordProblemTypes.ManifestStoreConflict,
        $"The ledger already keeps another manifest store for the record {submission.RecordDigest} (SHA-256 {kept}); this one ({sent}) differs. The first store is kept.");
}
