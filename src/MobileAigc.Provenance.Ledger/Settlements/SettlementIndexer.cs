using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Metrics;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using ChannelsAbi = MobileAigc.Provenance.Chain.Generated.PaymentChannels.ContractDefinition;

namespace MobileAigc.Provenance.Ledger.Settlements;

/// <summary>
/// Mirrors <c>PaymentChannels</c> (channels, settled vouchers and the royalties they paid) into
/// the ledger database, so that auditors can list settlements by provider, model and time and
/// check them against the chain. Runs only when <see cref="LedgerChainOptions.PaymentChannels"/>
/// is configured.
/// </summary>
public sealed class SettlementIndexer : ChainEventIndexer
{
    /// <summary>The <see cref="ChainCursor.Name"/> of this indexer.</summary>
    public const string CursorName = "payment-channels";

    private readonly PaymentChannelsClient _channels;
    private readonly LedgerMetrics? _metrics;

    /// <summary>Prepares the indexer; nothing is read before <see cref="ChainEventIndexer.IndexStepAsync"/> or the host starts it.</summary>
    /// <param name="databases">The ledger database.</param>
    /// <param name="chain">The chain, with its payment channels contract.</param>
    /// <param name="options">Read ranges and intervals.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where steps are logged.</param>
    /// <param name="metrics">Where indexed settlements are counted; null to count nothing.</param>
    /// <exception cref="InvalidOperationException">When the chain has no payment channels contract configured.</exception>
    public SettlementIndexer(
        IDbContextFactory<LedgerDbContext> databases, LedgerChain chain, IOptions<ChainIndexerOptions> options,
        TimeProvider time, ILogger<SettlementIndexer> logger, LedgerMetrics? metrics = null)
        : base(databases, chain, (options ?? throw new ArgumentNullException(nameof(options))).Value, time, logger)
    {
        _metrics = metrics;
        _channels = chain.Channels ?? throw new InvalidOperationException(
            $"{LedgerChainOptions.Section}:PaymentChannels is not configured: there are no settlements to index.");
    }

    /// <inheritdoc />
    protected override string IndexerCursor => CursorName;

    /// <inheritdoc />
    protected override IReadOnlyList<EvmAddress> Contracts => [_channels.Address];

    /// <inheritdoc />
    protected override IReadOnlyList<string> Topics => SettlementEventApplier.Topics;

    /// <inheritdoc />
    protected override async Task<bool> ApplyAsync(
        LedgerDbContext db, FilterLog log, Func<long, Task<DateTimeOffset>> blockTime, CancellationToken cancellationToken)
    {
        var applied = await SettlementEventApplier.ApplyAsync(db, log, _channels, blockTime, cancellationToken);
        if (applied && _metrics is not null && log.IsLogForEvent<ChannelsAbi.ChannelSettledEventDTO>())
        {
            _metrics.RecordSettlementIndexed();
        }

        return applied;
    }
}
