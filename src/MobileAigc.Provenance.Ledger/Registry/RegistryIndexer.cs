using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.RPC.Eth.DTOs;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>
/// Mirrors <c>ModelRegistry</c> (models, owners, terms, lineage, nodes, their endpoints and the
/// models they serve) and <c>ProvenanceLedger</c>'s revocations (the current deployment's and the previous ones') into the ledger database. Before
/// each step it applies revocations that were read before their records arrived.
/// </summary>
public sealed partial class RegistryIndexer : ChainEventIndexer
{
    /// <summary>The <see cref="ChainCursor.Name"/> of this indexer.</summary>
    public const string CursorName = "model-registry";

    private readonly IDbContextFactory<LedgerDbContext> _databases;
    private readonly ILogger<RegistryIndexer> _logger;

    // Records of a previous deployment are revoked on its own contract (the digest is in its domain): its revocations are read too.
    private readonly HashSet<EvmAddress> _ledgers;

    /// <summary>Prepares the indexer; nothing is read before <see cref="ChainEventIndexer.IndexStepAsync"/> or the host starts it.</summary>
    public RegistryIndexer(
        IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, IOptions<ChainIndexerOptions> options,
        TimeProvider time, ILogger<RegistryIndexer> logger)
        : base(databases, chain, (options ?? throw new ArgumentNullException(nameof(options))).Value, time, logger)
    {
        _databases = databases;
        _logger = logger;
        _ledgers = chain.Deployments.Select(d => d.Address).ToHashSet();
    }

    /// <inheritdoc />
    protected override string IndexerCursor => CursorName;

    /// <inheritdoc />
    protected override IReadOnlyList<EvmAddress> Contracts => [Chain.Registry.Address, .. _ledgers];

    /// <inheritdoc />
    protected override IReadOnlyList<string> Topics => RegistryEventApplier.Topics;

    /// <inheritdoc />
    protected override Task<bool> ApplyAsync(
        LedgerDbContext db, FilterLog log, Func<long, Task<DateTimeOffset>> blockTime, CancellationToken cancellationToken) =>
        RegistryEventApplier.ApplyAsync(db, log, Chain.Registry.Address, _ledgers, blockTime, cancellationToken);

    /// <inheritdoc />
    protected override async Task BeforeStepAsync(CancellationToken cancellationToken)
    {
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        var applied = await RevocationSweep.ApplyArrivedAsync(db, cancellationToken);
        if (applied > 0)
        {
            LogLateRevocations(applied);
        }
    }

    [LoggerMessage(LogLevel.Information, "Registry mirror: applied {Count} revocations read from the chain before their records arrived.")]
    private partial void LogLateRevocations(int count);
}
