using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Chain;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using RegistryAbi = MobileAigc.Provenance.Chain.Generated.ModelRegistry.ContractDefinition;
using LedgerAbi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;

namespace MobileAigc.Provenance.Ledger.Registry;

/// <summary>
/// Applies <c>ModelRegistry</c> events and <c>ProvenanceLedger</c>'s <c>RecordRevoked</c> to the
/// mirror tables, one log at a time, in the order the caller gives (block, then log index).
/// </summary>
internal static class RegistryEventApplier
{
    /// <summary>The topic-0 hashes of every event the indexer reads (an OR filter for <c>eth_getLogs</c>).</summary>
    public static string[] Topics { get; } =
    [
        EventTopic.Of<RegistryAbi.ModelRegisteredEventDTO>(),
        EventTopic.Of<RegistryAbi.ModelTermsUpdatedEventDTO>(),
        EventTopic.Of<RegistryAbi.ModelMetadataUpdatedEventDTO>(),
        EventTopic.Of<RegistryAbi.ModelDerivedEventDTO>(),
        EventTopic.Of<RegistryAbi.NodeEndpointSetEventDTO>(),
        EventTopic.Of<RegistryAbi.TransferEventDTO>(),
        EventTopic.Of<RegistryAbi.NodeRegisteredEventDTO>(),
        EventTopic.Of<RegistryAbi.NodeModelSetEventDTO>(),
        EventTopic.Of<RegistryAbi.NodeDeregisteredEventDTO>(),
        EventTopic.Of<RegistryAbi.NodeApprovalSetEventDTO>(),
        EventTopic.Of<RegistryAbi.ModelOpenSetEventDTO>(),
        EventTopic.Of<LedgerAbi.RecordRevokedEventDTO>(),
    ];

    /// <summary>
    /// Applies one log and saves it (in the caller's transaction) so that the next log of the
    /// same range sees its effect. Returns false for a log that is none of the indexed events.
    /// </summary>
    /// <param name="db">A context inside the caller's transaction.</param>
    /// <param name="log">The log.</param>
    /// <param name="registry">The registry's address: only its logs are registry events.</param>
    /// <param name="ledgers">The ledger contracts' addresses (the current and the previous deployments'): only their logs are revocations.</param>
    /// <param name="blockTime">The time of the log's block (for revocations).</param>
    /// <param name="cancellationToken">Cancels the save.</param>
    public static async Task<bool> ApplyAsync(
        LedgerDbContext db, FilterLog log, EvmAddress registry, IReadOnlySet<EvmAddress> ledgers,
        Func<long, Task<DateTimeOffset>> blockTime, CancellationToken cancellationToken)
    {
        var from = EvmAddress.Parse(log.Address.ToLowerInvariant());
        var block = (long)log.BlockNumber.Value;
        bool applied;
        if (from == registry)
        {
            applied = await ApplyRegistryAsync(db, log, block, cancellationToken);
        }
        else if (ledgers.Contains(from) && log.IsLogForEvent<LedgerAbi.RecordRevokedEventDTO>())
        {
            var revoked = log.DecodeEvent<LedgerAbi.RecordRevokedEventDTO>().Event;
            var digest = Bytes32.FromBytes(revoked.RecordDigest);
            var revocation = await db.Revocations.FindAsync([digest], cancellationToken);
            if (revocation is null)
            {
                // Kept even when the record has not arrived: RevocationSweep applies it when it does.
                revocation = new ChainRevocation
                {
                    Digest = digest,
                    Node = EvmAddress.Parse(revoked.Node),
                    RevokedBy = EvmAddress.Parse(revoked.Operator),
                    RevokedAt = await blockTime(block),
                    Reason = revoked.Reason,
                    BlockNumber = block,
                };
                db.Revocations.Add(revocation);
            }

            revocation.Applied = await RevocationSweep.ApplyAsync(db, revocation, cancellationToken);
            applied = true;
        }
        else
        {
            applied = false;
        }

        await db.SaveChangesAsync(cancellationToken);
        return applied;
    }

    private static async Task<bool> ApplyRegistryAsync(LedgerDbContext db, FilterLog log, long block, CancellationToken cancellationToken)
    {
        if (log.IsLogForEvent<RegistryAbi.ModelRegisteredEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.ModelRegisteredEventDTO>().Event;
            var model = await FindModelAsync(db, Bytes32.FromBytes(e.ModelHash), cancellationToken);
            if (model is null)
            {
                model = new MirroredModel { ModelHash = Bytes32.FromBytes(e.ModelHash) };
                db.Models.Add(model);
            }

            model.Owner = Address(e.Owner);
            model.MetadataUri = e.MetadataURI ?? "";
            model.PricePerGeneration = e.PricePerGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);
            model.RoyaltyBasisPoints = e.RoyaltyBps;
            model.Active = true;
            model.RegisteredBlock = block;
            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.ModelTermsUpdatedEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.ModelTermsUpdatedEventDTO>().Event;
            if (await FindModelAsync(db, Bytes32.FromBytes(e.ModelHash), cancellationToken) is { } model)
            {
                model.PricePerGeneration = e.PricePerGeneration.ToString(System.Globalization.CultureInfo.InvariantCulture);
                model.RoyaltyBasisPoints = e.RoyaltyBps;
                model.Active = e.Active;
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.ModelMetadataUpdatedEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.ModelMetadataUpdatedEventDTO>().Event;
            if (await FindModelAsync(db, Bytes32.FromBytes(e.ModelHash), cancellationToken) is { } model)
            {
                model.MetadataUri = e.MetadataURI ?? "";
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.ModelDerivedEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.ModelDerivedEventDTO>().Event;
            // Emitted right after ModelRegistered in the same transaction.
            if (await FindModelAsync(db, Bytes32.FromBytes(e.ModelHash), cancellationToken) is { } model)
            {
                model.ParentHash = Bytes32.FromBytes(e.ParentHash);
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.NodeEndpointSetEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.NodeEndpointSetEventDTO>().Event;
            if (await db.Nodes.FindAsync([Address(e.Node)], cancellationToken) is { } node)
            {
                node.Endpoint = string.IsNullOrEmpty(e.Endpoint) ? null : e.Endpoint;
            }

            return true;
        }

        // ERC-721 Transfer has four topics (tokenId indexed); the registry emits no ERC-20 Transfer.
        if (log.Topics is { Length: 4 } && log.IsLogForEvent<RegistryAbi.TransferEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.TransferEventDTO>().Event;
            await RecordOwnerChangeAsync(db, log, block, ModelHashOf(e.TokenId), Address(e.From), Address(e.To), cancellationToken);
            // The mint's Transfer comes before ModelRegistered in the same transaction, which sets the owner itself.
            if (await FindModelAsync(db, ModelHashOf(e.TokenId), cancellationToken) is { } model && !Address(e.To).IsZero)
            {
                model.Owner = Address(e.To);
                // Approvals and the open flag belong to the owner who set them: the contract starts a new access epoch.
                model.OpenToAnyNode = false;
                await ClearApprovalsAsync(db, model.ModelHash, cancellationToken);
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.NodeApprovalSetEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.NodeApprovalSetEventDTO>().Event;
            var modelHash = Bytes32.FromBytes(e.ModelHash);
            var node = Address(e.Node);
            var approval = await db.NodeApprovals.FindAsync([modelHash, node], cancellationToken);
            if (e.Approved && approval is null)
            {
                db.NodeApprovals.Add(new ModelNodeApproval { ModelHash = modelHash, Node = node });
            }
            else if (!e.Approved && approval is not null)
            {
                db.NodeApprovals.Remove(approval);
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.ModelOpenSetEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.ModelOpenSetEventDTO>().Event;
            if (await FindModelAsync(db, Bytes32.FromBytes(e.ModelHash), cancellationToken) is { } model)
            {
                model.OpenToAnyNode = e.Open;
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.NodeRegisteredEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.NodeRegisteredEventDTO>().Event;
            var address = Address(e.Node);
            var node = await db.Nodes.FindAsync([address], cancellationToken);
            if (node is null)
            {
                node = new MirroredNode { Node = address };
                db.Nodes.Add(node);
            }

            node.Operator = Address(e.Operator);
            node.Registered = true;
            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.NodeModelSetEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.NodeModelSetEventDTO>().Event;
            var node = Address(e.Node);
            var modelHash = Bytes32.FromBytes(e.ModelHash);
            var grant = await db.NodeModels.FindAsync([node, modelHash], cancellationToken);
            if (e.Serves && grant is null)
            {
                db.NodeModels.Add(new NodeModelGrant { Node = node, ModelHash = modelHash });
            }
            else if (!e.Serves && grant is not null)
            {
                db.NodeModels.Remove(grant);
            }

            return true;
        }

        if (log.IsLogForEvent<RegistryAbi.NodeDeregisteredEventDTO>())
        {
            var e = log.DecodeEvent<RegistryAbi.NodeDeregisteredEventDTO>().Event;
            var address = Address(e.Node);
            if (await db.Nodes.FindAsync([address], cancellationToken) is { } node)
            {
                node.Registered = false;
                node.Endpoint = null;
            }

            // The contract forgets a deregistered node's models (a new generation); so does the mirror.
            await db.NodeModels.Where(g => g.Node == address).ExecuteDeleteAsync(cancellationToken);
            foreach (var stale in db.ChangeTracker.Entries<NodeModelGrant>().Where(g => g.Entity.Node == address).ToList())
            {
                stale.State = EntityState.Detached;
            }

            return true;
        }

        return false;
    }

    // Every Transfer, the mint's included, is kept as history; a range read again (a reindex) finds its rows.
    private static async Task RecordOwnerChangeAsync(
        LedgerDbContext db, FilterLog log, long block, Bytes32 modelHash, EvmAddress from, EvmAddress to, CancellationToken cancellationToken)
    {
        var logIndex = (long)log.LogIndex.Value;
        if (await db.ModelOwnerChanges.AnyAsync(c => c.BlockNumber == block && c.LogIndex == logIndex, cancellationToken))
        {
            return;
        }

        db.ModelOwnerChanges.Add(new ModelOwnerChange
        {
            ModelHash = modelHash,
            PreviousOwner = from,
            NewOwner = to,
            BlockNumber = block,
            LogIndex = logIndex,
            TransactionHash = Bytes32.Parse(log.TransactionHash),
        });
    }

    private static async Task ClearApprovalsAsync(LedgerDbContext db, Bytes32 modelHash, CancellationToken cancellationToken)
    {
        await db.NodeApprovals.Where(a => a.ModelHash == modelHash).ExecuteDeleteAsync(cancellationToken);
        foreach (var stale in db.ChangeTracker.Entries<ModelNodeApproval>().Where(a => a.Entity.ModelHash == modelHash).ToList())
        {
            stale.State = EntityState.Detached;
        }
    }

    private static ValueTask<MirroredModel?> FindModelAsync(LedgerDbContext db, Bytes32 modelHash, CancellationToken cancellationToken) =>
        db.Models.FindAsync([modelHash], cancellationToken);

    private static EvmAddress Address(string text) => EvmAddress.Parse(text.ToLowerInvariant());

    // A model's ERC-721 token id is its hash read as a big-endian number.
    private static Bytes32 ModelHashOf(BigInteger tokenId)
    {
        var bytes = new byte[Bytes32.Length];
        tokenId.TryWriteBytes(bytes.AsSpan(Bytes32.Length - tokenId.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return Bytes32.FromBytes(bytes);
    }
}
