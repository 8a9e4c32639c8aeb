using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Ledger.Storage;

namespace MobileAigc.Provenance.Ledger.Verification;

/// <summary>
/// Keeps the index of the PDQ hashes version 3 records signed (<see cref="StoredRecord.PdqHash"/>), in an index of its
/// own. Hashes whose signed quality is below <see cref="VerificationOptions.MinimumPdqQuality"/> are never indexed: a
/// near-blank picture hashes like every other near-blank picture, so its record must not be what an upload finds.
/// </summary>
public sealed class PdqIndexSync(
    IDbContextFactory<LedgerDbContext> databases,
    IOptions<VerificationOptions> options,
    ILogger<PdqIndexSync> logger) : HashIndexSync(new PerceptualHashIndex(), databases, options, logger)
{
    private readonly int _minimumQuality = options.Value.MinimumPdqQuality;

    /// <inheritdoc />
    public override string HashName => "PDQ";

    /// <inheritdoc />
    protected override IQueryable<IndexedHash> Select(IQueryable<StoredRecord> records) => records
        .Where(r => r.PdqHash != null && r.PdqQuality >= _minimumQuality)
        .Select(r => new IndexedHash(r.Id, r.PdqHash!.Value));
}
