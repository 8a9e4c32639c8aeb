using System.Numerics;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Core.Records;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Hex.HexTypes;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Ledger.Availability;

/// <summary>
/// Rebuilds a lost or withheld ledger database from the chain and copies of records' evidence: every
/// <c>BatchAnchored</c> event of the ledger's anchorer becomes an anchored batch, and every copied record whose node
/// signature holds and whose proof leads to one of those roots is stored in its batch at its leaf, with its proof.
/// Everything else is reported, never stored. The chain is the authority on roots; the copies are not trusted.
/// </summary>
/// <remarks>
/// Writes into a fresh database only (migrated here, refused if it holds any record or batch), one transaction per
/// batch: a rebuild cut short leaves a database to delete and rebuild, never one to start a ledger on silently
/// (the rebuilt batches would not reach the chain's next sequence, and anchoring refuses to plan).
/// </remarks>
public sealed class LedgerRebuilder(IDbContextFactory<LedgerDbContext> databases, IWeb3 web3, RebuildTarget target)
{
    /// <summary>Rebuilds the database from the chain and <paramref name="copies"/>.</summary>
    /// <exception cref="LedgerRebuildException">When the database is not fresh or the chain is not the one named.</exception>
    public async Task<RebuildReport> RebuildAsync(IAsyncEnumerable<EvidenceEntry> copies, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(copies);
        var reported = (long)(await web3.Eth.ChainId.SendRequestAsync()).Value;
        if (reported != target.ChainId)
        {
            throw new LedgerRebuildException($"The chain node is on chain {reported}, not {target.ChainId}.");
        }

        await LedgerDatabase.MigrateAsync(databases, cancellationToken);
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Records.AnyAsync(cancellationToken) || await db.Batches.AnyAsync(cancellationToken))
            {
                throw new LedgerRebuildException("The database already holds records or batches: a rebuild writes into a fresh database only.");
            }
        }

        var toBlock = (long)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;
        var events = await ChainBatchEvents.ReadAsync(web3, target.ProvenanceLedger, target.DeploymentBlock, toBlock, cancellationToken);
        var placement = new EvidencePlacement(target, events);
        await foreach (var entry in copies.WithCancellation(cancellationToken))
        {
            placement.Offer(entry);
        }

        var ours = events.Where(e => e.Anchorer == target.Anchorer).OrderBy(e => e.BatchId).ToList();
        var incomplete = new List<IncompleteBatch>();
        var placed = 0;
        foreach (var anchored in ours)
        {
            var records = placement.RecordsOf(anchored.Root);
            placed += await WriteBatchAsync(anchored, records, cancellationToken);
            if (records.Count < anchored.RecordCount)
            {
                incomplete.Add(new IncompleteBatch(anchored.BatchId, anchored.Root, anchored.RecordCount, records.Count));
            }
        }

        return new RebuildReport(target.DeploymentBlock, toBlock, ours.Count, placed, placement.Duplicates, incomplete, placement.Refused);
    }

    private async Task<int> WriteBatchAsync(ChainBatchEvent anchored, IReadOnlyList<PlacedRecord> records, CancellationToken cancellationToken)
    {
        var block = await web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new HexBigInteger(new BigInteger(anchored.BlockNumber)));
        var anchoredAt = DateTimeOffset.FromUnixTimeSeconds((long)block.Timestamp.Value);
        var batch = new AnchorBatch
        {
            FirstSequence = anchored.FirstSequence,
            RecordCount = anchored.RecordCount,
            Root = anchored.Root,
            State = AnchorBatchState.Anchored,
            CreatedAt = anchoredAt,
            TransactionHash = anchored.TransactionHash,
            BlockNumber = anchored.BlockNumber,
            BlockHash = Bytes32.Parse(block.BlockHash),
            ChainBatchId = anchored.BatchId,
            AnchoredAt = anchoredAt,
            SubmitAttempts = 1,
            LedgerContract = target.ProvenanceLedger,
        };
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        db.Batches.Add(batch);
        var domain = ContractDomain.ForProvenanceLedger(target.ChainId, target.ProvenanceLedger);
        foreach (var (evidence, creator) in records)
        {
            var row = StoredRecordOf(evidence, creator, domain, anchoredAt);
            row.Batch = batch;
            row.LeafIndex = evidence.Inclusion.LeafIndex;
            row.Proof = StoredRecord.PackProof(evidence.Inclusion.Proof);
            db.Records.Add(row);
        }

        await db.SaveChangesAsync(cancellationToken);
        return records.Count;
    }

    // The time a record reached the old ledger is not in the evidence; the block that anchored it bounds it from
    // above, and it is the one time the chain vouches for.
    // The creator's proof was checked again as at ingest (voucher proofs need the channels' domain, which a
    // rebuild does not read: such a claim is stored without its proof and reads as unauthenticated).
    private static StoredRecord StoredRecordOf(RecordEvidence evidence, CreatorClaimCheck creator, ContractDomain domain, DateTimeOffset anchoredAt)
    {
        var signed = evidence.SignedRecord;
        var digest = evidence.Inclusion.RecordDigest;
        var row = creator.Holds
            ? StoredRecord.From(signed, digest, anchoredAt, creator)
            : StoredRecord.From(signed with { CreatorProof = null }, digest, anchoredAt);
        if (signed.DeliveredFile is { } delivered && delivered.File.Record == digest && IsNodes(delivered, domain, signed.Record.Node))
        {
            row.DeliveredFileHash = delivered.File.FileHash;
            row.DeliveredFileSignature = delivered.Signature.ToArray();
        }

        return row;
    }

    // The statement is kept only when the record's node signed it, as at ingest; one that does not hold is dropped.
    private static bool IsNodes(SignedDeliveredFile delivered, ContractDomain domain, EvmAddress node)
    {
        try
        {
            return DeliveredFileTypedData.RecoverSigner(delivered, domain) == node;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }
}
