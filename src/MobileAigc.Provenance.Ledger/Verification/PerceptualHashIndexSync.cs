using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>Keeps the index of every record's perceptual hash (<see cref="StoredRecord.PerceptualHash"/>; text records have none).</summary>
public sealed class PerceptualHashIndexSync(
    PerceptualHashIndex index,
    IDbContextFactory<LedgerDbContext> databases,
    IOptions<VerificationOptions> options,
    ILogger<PerceptualHashIndexSync> logger) : HashIndexSync(index, databases, options, logger)
{
    /// <inheritdoc />
    public override string HashName => "Perceptual hash";

    /// <inheritdoc />
    protected override IQueryable<IndexedHash> Select(IQueryable<StoredRecord> records) =>
        records.Select(r => new IndexedHash(r.Id, r.PerceptualHash));
}
