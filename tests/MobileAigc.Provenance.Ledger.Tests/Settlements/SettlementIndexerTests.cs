using System.Numerics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MobileAigc.Provenance.Chain.Clients;
using MobileAigc.Provenance.Core.Payments;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Discovery;
using MobileAigc.Provenance.Ledger.Registry;
using MobileAigc.Provenance.Ledger.Settlements;
using MobileAigc.Provenance.Ledger.Storage;
using MobileAigc.Provenance.Ledger.Tests.Fixtures;
using Nethereum.Signer;

namespace MobileAigc.Provenance.Ledger.Tests.Settlements;

/// <summary>
/// The settlement mirror, the checks against the chain and discovery, against a real anvil with
/// real channels and settlements, once per database provider.
/// </summary>
public abstract class SettlementIndexerTests(LedgerChainFixture chain, LedgerDatabases databases)
{
    private static readonly EvmAddress Eth = EvmAddress.Zero;

    [Fact]
    public async Task IndexStepAsync_TwoVouchersSettled_ListsThemWithTotalsAndRoyalties()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var (channelId, creator, provider) = await OpenChannelAsync(deployment, deployment.ModelHash, 10_000_000);
        await SettleAsync(deployment, provider, creator, channelId, 1_000_000, 1);
        await SettleAsync(deployment, provider, creator, channelId, 3_000_000, 2);

        await CatchUpAsync(NewIndexer(db, deployment));

        await using var context = await db.CreateDbContextAsync();
        var page = await new SettlementQuery { Provider = provider.Address }.ReadPageAsync(context);
        Assert.Equal([1L, 2L], page.Items.Select(s => s.Nonce));
        Assert.Equal(["1000000", "2000000"], page.Items.Select(s => s.Payment));
        // The model's terms: 500 basis points to its owner.
        Assert.Equal(["50000", "100000"], page.Items.Select(s => s.Royalty));
        Assert.All(page.Items, s => Assert.Equal(deployment.Owner.Address, Assert.Single(s.Royalties).Recipient));
        var totals = Assert.Single(await new SettlementQuery { Model = deployment.ModelHash }.TotalsAsync(context));
        Assert.Equal((Eth, 2L, "3000000", "150000", "2850000"), (totals.Token, totals.Settlements, totals.Paid, totals.Royalties, totals.Provider));
        var royalty = Assert.Single(await new SettlementQuery().RoyaltiesAsync(context));
        Assert.Equal((deployment.ModelHash, 2L, "150000"), (royalty.ModelHash, royalty.Payments, royalty.Amount));
        var channel = await context.Channels.SingleAsync();
        Assert.Equal(("10000000", "3000000", 2L), (channel.Deposit, channel.Paid, channel.LastNonce));

        var check = await new SettlementChecker(db, deployment.Chain).CheckAsync();
        Assert.Equal((1, 2L), (check.ChannelsChecked, check.Settlements));
        Assert.Empty(check.Discrepancies);
    }

    [Fact]
    public async Task IndexStepAsync_DerivedModel_PaysEachModelOfTheLineage()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var tuner = await chain.NewAccountAsync();
        var derived = Bytes32.Sha256(Guid.NewGuid().ToByteArray());
        await deployment.Contracts.RegistryFor(tuner.Web3).RegisterDerivedModelAsync(derived, deployment.ModelHash, "ipfs://tuned", 0, 1_000);
        var (channelId, creator, provider) = await OpenChannelAsync(deployment, derived, 10_000_000, modelOwner: tuner);
        await SettleAsync(deployment, provider, creator, channelId, 1_000_000, 1);

        await CatchUpAsync(NewIndexer(db, deployment));
        await CatchUpAsync(new RegistryIndexer(db, deployment.Chain, Options.Create(new ChainIndexerOptions()), TimeProvider.System, NullLogger<RegistryIndexer>.Instance));

        await using var context = await db.CreateDbContextAsync();
        var settlement = Assert.Single((await new SettlementQuery { Channel = channelId }.ReadPageAsync(context)).Items);
        // Root first: the parent's 500 basis points, then the derived model's 1,000.
        Assert.Equal(
            [(deployment.ModelHash, deployment.Owner.Address, "50000"), (derived, tuner.Address, "100000")],
            settlement.Royalties.Select(r => (r.ModelHash, r.Recipient, r.Amount)));
        Assert.Equal("150000", settlement.Royalty);
        var royalties = await new SettlementQuery().RoyaltiesAsync(context);
        Assert.Equal(2, royalties.Count);
        Assert.Equal(deployment.ModelHash, (await context.Models.SingleAsync(m => m.ModelHash == derived)).ParentHash);
    }

    [Fact]
    public async Task CheckAsync_SettlementMissingFromTheDatabase_ReportsTheChannel()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var (channelId, creator, provider) = await OpenChannelAsync(deployment, deployment.ModelHash, 5_000_000);
        await SettleAsync(deployment, provider, creator, channelId, 2_000_000, 1);
        await SettleAsync(deployment, provider, creator, channelId, 2_500_000, 2);
        await CatchUpAsync(NewIndexer(db, deployment));
        await using (var context = await db.CreateDbContextAsync())
        {
            await context.RoyaltyPayments.ExecuteDeleteAsync();
            await context.Settlements.Where(s => s.Nonce == 2).ExecuteDeleteAsync();
        }

        var check = await new SettlementChecker(db, deployment.Chain).CheckAsync();

        var discrepancy = Assert.Single(check.Discrepancies);
        Assert.Equal((channelId, "2000000", "2500000", 1L, 2UL),
            (discrepancy.ChannelId, discrepancy.MirroredPaid, discrepancy.ChainPaid, discrepancy.MirroredNonce, discrepancy.ChainNonce));
    }

    [Fact]
    public async Task ForModelAsync_NodeAdvertisedAnEndpoint_OffersItWithPriceAndTrackRecord()
    {
        var deployment = await chain.DeployAsync();
        var db = await databases.NewDatabaseAsync();
        var node = EvmAddress.Parse(deployment.NodeKey.GetPublicAddress());
        await deployment.Chain.Registry.UpdateTermsAsync(deployment.ModelHash, 25_000, 500, active: true);
        await deployment.Chain.Registry.SetNodeEndpointAsync(node, new Uri("https://edge.example:5080/"));
        // A second node of the operator serves the model without its owner's approval: not an offer.
        var unapproved = EthECKey.GenerateKey();
        await deployment.Contracts.RegistryFor(deployment.Owner.Web3).RegisterNodeAsync(unapproved, [deployment.ModelHash]);
        await CatchUpAsync(new RegistryIndexer(db, deployment.Chain, Options.Create(new ChainIndexerOptions()), TimeProvider.System, NullLogger<RegistryIndexer>.Instance));

        await using var context = await db.CreateDbContextAsync();
        var offer = Assert.Single((await OfferQuery.ForModelAsync(context, deployment.ModelHash))!);

        Assert.Equal((node, deployment.Owner.Address, "https://edge.example:5080/", "25000"), (offer.Node, offer.Operator, offer.Endpoint, offer.PricePerGeneration));
        Assert.Equal((0L, 0L, 0L, 0L), (offer.TrackRecord.RecordsAnchored, offer.TrackRecord.RecordsPending, offer.TrackRecord.RecordsRevoked, offer.TrackRecord.Settlements));
        Assert.Null(await OfferQuery.ForModelAsync(context, Bytes32.Sha256("unknown"u8)));
    }

    private async Task<(Bytes32 ChannelId, FundedAccount Creator, FundedAccount Provider)> OpenChannelAsync(
        TestDeployment deployment, Bytes32 model, BigInteger deposit, FundedAccount? modelOwner = null)
    {
        var creator = await chain.NewAccountAsync();
        var provider = await chain.NewAccountAsync();
        // A channel is bound to a node authorised for the model (registered with its key's consent, approved by the
        // model's owner); the node's operator is the provider.
        var nodeKey = Nethereum.Signer.EthECKey.GenerateKey();
        var node = EvmAddress.Parse(nodeKey.GetPublicAddress());
        await deployment.Contracts.RegistryFor(provider.Web3).RegisterNodeAsync(nodeKey, [model]);
        await deployment.Contracts.RegistryFor((modelOwner ?? deployment.Owner).Web3).SetNodeApprovalAsync(model, node, approved: true);
        var (channelId, _) = await deployment.Contracts.ChannelsFor(creator.Web3)
            .OpenChannelAsync(node, model, Eth, deposit, TimeProvider.System.GetUtcNow().AddDays(1));
        return (channelId, creator, provider);
    }

    private static async Task SettleAsync(
        TestDeployment deployment, FundedAccount provider, FundedAccount creator, Bytes32 channelId, BigInteger cumulative, ulong nonce)
    {
        var channels = deployment.Contracts.ChannelsFor(provider.Web3);
        var voucher = new PaymentVoucher(channelId, cumulative, nonce);
        await channels.SettleAsync([new SignedPaymentVoucher(voucher, PaymentVoucherTypedData.Sign(voucher, channels.Domain, creator.Key))]);
    }

    private static async Task CatchUpAsync(ChainEventIndexer indexer)
    {
        for (var i = 0; i < 10_000; i++)
        {
            if ((await indexer.IndexStepAsync()).CaughtUp)
            {
                return;
            }
        }

        throw new TimeoutException("The indexer never caught up.");
    }

    private static SettlementIndexer NewIndexer(IDbContextFactory<LedgerDbContext> db, TestDeployment deployment) =>
        new(db, deployment.Chain, Options.Create(new ChainIndexerOptions()), TimeProvider.System, NullLogger<SettlementIndexer>.Instance);
}

/// <summary>The settlement mirror on SQLite.</summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class SqliteSettlementIndexerTests(LedgerChainFixture chain, SqliteDatabases databases)
    : SettlementIndexerTests(chain, databases), IClassFixture<SqliteDatabases>;

/// <summary>The settlement mirror on PostgreSQL.</summary>
[Collection(ChainIndexingCollection.Name)]
public sealed class PostgresSettlementIndexerTests(LedgerChainFixture chain, PostgresDatabases databases)
    : SettlementIndexerTests(chain, databases), IClassFixture<PostgresDatabases>;
