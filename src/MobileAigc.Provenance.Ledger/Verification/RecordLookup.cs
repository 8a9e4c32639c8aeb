using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// The record lookups verification makes on every request, earliest anchored first (the first claim
/// answers). Id order is anchoring order: batches are planned from the pending records in id order
/// and take consecutive ledger sequences, so a lower id is in an earlier batch or earlier in the same
/// one, and records still waiting come after every anchored one. What a node claims (its timestamp)
/// never orders competing records: a back-dated record received later stays behind. Each is served by one composite index, (<c>ContentHash</c>, <c>Id</c>),
/// (<c>DeliveredFileHash</c>, <c>Id</c>) or (<c>WatermarkId</c>, <c>Id</c>), so that <c>ORDER BY Id LIMIT n</c> is a single index probe whatever
/// the planner's statistics say; a test holds PostgreSQL's plan to that.
/// </summary>
internal static class RecordLookup
{
    /// <summary>Records of these exact bytes.</summary>
    public static IQueryable<StoredRecord> ByContentHash(LedgerDbContext db, Bytes32 contentHash) =>
        db.Records.AsNoTracking().Where(r => r.ContentHash == contentHash).OrderBy(r => r.Id);

    /// <summary>Records whose node stated, when the ledger first stored them, that the file it delivered has this SHA-256.</summary>
    public static IQueryable<StoredRecord> ByDeliveredFile(LedgerDbContext db, Bytes32 fileHash) =>
        db.Records.AsNoTracking().Where(r => r.DeliveredFileHash == fileHash).OrderBy(r => r.Id);

    /// <summary>Records that carry this watermark id.</summary>
    public static IQueryable<StoredRecord> ByWatermark(LedgerDbContext db, Bytes32 watermarkId) =>
        db.Records.AsNoTracking().Where(r => r.WatermarkId == watermarkId).OrderBy(r => r.Id);
}
