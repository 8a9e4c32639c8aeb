using System.Numerics;
using MobileAigc.Provenance.Chain.Errors;
using MobileAigc.Provenance.Chain.Generated.ProvenanceLedger;
using MobileAigc.Provenance.Core.Eip712;
using MobileAigc.Provenance.Core.Primitives;
using Nethereum.Contracts;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;
using Abi = MobileAigc.Provenance.Chain.Generated.ProvenanceLedger.ContractDefinition;
using CoreRecord = MobileAigc.Provenance.Core.Records.ProvenanceRecord;

namespace MobileAigc.Provenance.Chain.Clients;

/// <summary>An anchored Merkle batch as the chain holds it.</summary>
/// <param name="BatchId">The batch's number among its anchorer's batches: each anchorer's start at 1.</param>
/// <param name="Root">The Merkle root of the batch's record digests.</param>
/// <param name="FirstSequence">The ledger sequence number of the batch's first record.</param>
/// <param name="RecordCount">How many records the batch holds.</param>
/// <param name="AnchoredAt">The block time of anchoring.</param>
/// <param name="BlockNumber">The block of anchoring.</param>
/// <param name="Anchorer">The account that anchored it; <paramref name="FirstSequence"/> is in its own sequence space.</param>
public sealed record AnchoredBatch(
    BigInteger BatchId, Bytes32 Root, ulong FirstSequence, uint RecordCount, DateTimeOffset AnchoredAt, ulong BlockNumber, EvmAddress Anchorer);

/// <summary>A <c>BatchAnchored</c> event: where and by which transaction a root was anchored.</summary>
/// <param name="BatchId">The batch's number among <paramref name="Anchorer"/>'s batches (from 1).</param>
/// <param name="Root">The anchored root.</param>
/// <param name="FirstSequence">The batch's first ledger sequence number.</param>
/// <param name="RecordCount">How many records the batch holds.</param>
/// <param name="Anchorer">The account that anchored it.</param>
/// <param name="TransactionHash">The anchoring transaction.</param>
/// <param name="BlockNumber">The block holding it.</param>
/// <param name="BlockHash">That block's hash, to notice a reorganisation.</param>
public sealed record BatchAnchoredLog(
    BigInteger BatchId, Bytes32 Root, ulong FirstSequence, uint RecordCount, EvmAddress Anchorer,
    string TransactionHash, ulong BlockNumber, Bytes32 BlockHash);

/// <summary>
/// Typed access to <c>ProvenanceLedger</c>: single attestations, Merkle batch anchoring,
/// inclusion checks and revocations. Every method throws <see cref="ContractRevertException"/>
/// when the contract refuses.
/// </summary>
public sealed class ProvenanceLedgerClient(IWeb3 web3, EvmAddress address, BigInteger chainId)
{
    private const string Contract = "ProvenanceLedger";
    private readonly ProvenanceLedgerService _service = new(web3, address.ToString());

    /// <summary>The contract's address.</summary>
    public EvmAddress Address { get; } = address;

    /// <summary>The EIP-712 domain records are signed in.</summary>
    public ContractDomain Domain { get; } = ContractDomain.ForProvenanceLedger(chainId, address);

    /// <summary>Attests one signed record on chain; anyone may relay it. Returns the transaction.</summary>
    public async Task<ChainTransaction> AttestAsync(CoreRecord record, EcdsaSignature signature, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.AttestRequestAndWaitForReceiptAsync(
            record.ToContractStruct(), signature.ToArray(), cancellation), cancellationToken));

    /// <summary>
    /// Anchors a batch root covering <paramref name="recordCount"/> records from <paramref name="firstSequence"/>; anchorers only.
    /// Returns the batch's number among the sending account's batches (each anchorer's start at 1) and the transaction.
    /// </summary>
    public async Task<(BigInteger BatchId, ChainTransaction Transaction)> AnchorBatchAsync(
        Bytes32 root, ulong firstSequence, uint recordCount, CancellationToken cancellationToken = default)
    {
        var receipt = await RevertDecoder.SendAsync(Contract, cancellation => _service.AnchorBatchRequestAndWaitForReceiptAsync(
            root.ToArray(), firstSequence, recordCount, cancellation), cancellationToken);
        var anchored = receipt.DecodeAllEvents<Abi.BatchAnchoredEventDTO>().Single().Event;
        return (anchored.BatchId, ChainTransaction.From(receipt));
    }

    /// <summary>
    /// Sends <c>anchorBatch</c> and returns the transaction hash as soon as the node accepted it,
    /// without waiting for it to be mined: the anchoring worker records the hash first and
    /// follows the transaction (and reorganisations) itself. A refusal known at gas estimation
    /// (<c>BatchSequenceMismatch</c>, <c>RootAlreadyAnchored</c>, ...) throws <see cref="ContractRevertException"/>.
    /// </summary>
    public Task<string> SendAnchorBatchAsync(Bytes32 root, ulong firstSequence, uint recordCount, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.AnchorBatchRequestAsync(root.ToArray(), firstSequence, recordCount), cancellationToken);

    /// <summary>
    /// The number of the batch anchored as <paramref name="root"/> among its anchorer's batches, or 0 when the root is not
    /// anchored (at <paramref name="block"/>, default latest).
    /// </summary>
    public Task<BigInteger> BatchIdOfRootAsync(Bytes32 root, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.BatchIdOfRootQueryAsync(root.ToArray(), block), cancellationToken);

    /// <summary>
    /// How many batches <paramref name="anchorer"/> anchored, which is also the number of its latest one (at
    /// <paramref name="block"/>, default latest). The contract keeps no global count: batches are numbered per anchorer.
    /// </summary>
    public Task<BigInteger> BatchCountAsync(EvmAddress anchorer, BlockParameter? block = null, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.BatchCountQueryAsync(anchorer.ToString(), block), cancellationToken);

    /// <summary>
    /// The <c>BatchAnchored</c> event of batch number <paramref name="batchId"/> with root <paramref name="root"/>
    /// in block <paramref name="blockNumber"/>, or null when that block (as the node sees it now) holds none.
    /// </summary>
    public async Task<BatchAnchoredLog?> GetBatchAnchoredLogAsync(
        BigInteger batchId, Bytes32 root, ulong blockNumber, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var anchoredEvent = web3.Eth.GetEvent<Abi.BatchAnchoredEventDTO>(Address.ToString());
        var block = new BlockParameter(blockNumber);
        var filter = anchoredEvent.CreateFilterInput(new[] { batchId }, new[] { root.ToArray() }, block, block);
        var logs = await anchoredEvent.GetAllChangesAsync(filter);
        return logs.Select(l => new BatchAnchoredLog(
                l.Event.BatchId, Bytes32.FromBytes(l.Event.Root), l.Event.FirstSequence, l.Event.RecordCount,
                EvmAddress.Parse(l.Event.Anchorer), l.Log.TransactionHash, (ulong)l.Log.BlockNumber.Value, Bytes32.Parse(l.Log.BlockHash)))
            .FirstOrDefault();
    }

    /// <summary>
    /// Where <paramref name="root"/> was anchored (its <c>BatchAnchored</c> event), or null when it
    /// is not anchored at <paramref name="block"/> (default latest).
    /// </summary>
    /// <exception cref="InvalidOperationException">When the chain changed between the reads (a reorganisation); ask again.</exception>
    public async Task<BatchAnchoredLog?> FindBatchAnchoredAsync(
        Bytes32 root, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        // Two reads that must agree: the root's slot (which holds its block) and that block's event. A node can
        // answer them from states a block apart while it mines, so a disagreement is read again a few times
        // before it is reported.
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            if (await GetBatchAsync(root, block, cancellationToken) is not { } batch)
            {
                return null;
            }

            if (await GetBatchAnchoredLogAsync(batch.BatchId, root, batch.BlockNumber, cancellationToken) is { } log)
            {
                return log;
            }

            if (attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"Root {root} is anchored as batch {batch.BatchId} of {batch.Anchorer} in block {batch.BlockNumber}, but that block holds " +
                    "no BatchAnchored event for it now: the chain changed while reading; ask again.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), cancellationToken);
        }
    }

    /// <summary>Allows or forbids an account to anchor batches; the contract owner only.</summary>
    public async Task<ChainTransaction> SetAnchorerAsync(EvmAddress anchorer, bool allowed, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.SetAnchorerRequestAndWaitForReceiptAsync(
            anchorer.ToString(), allowed, cancellation), cancellationToken));

    /// <summary>Revokes a record; its node's operator only.</summary>
    public async Task<ChainTransaction> RevokeAsync(CoreRecord record, string reason, CancellationToken cancellationToken = default) =>
        ChainTransaction.From(await RevertDecoder.SendAsync(Contract, cancellation => _service.RevokeRequestAndWaitForReceiptAsync(
            record.ToContractStruct(), reason, cancellation), cancellationToken));

    /// <summary>True when the proof leads from the record digest to <paramref name="root"/> and the root is anchored.</summary>
    public Task<bool> VerifyInclusionAsync(
        Bytes32 root, Bytes32 recordDigest, IEnumerable<Bytes32> proof, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.VerifyInclusionQueryAsync(
            root.ToArray(), recordDigest.ToArray(), proof.Select(p => p.ToArray()).ToList()), cancellationToken);

    /// <summary>The record's EIP-712 digest as the contract computes it.</summary>
    public async Task<Bytes32> HashRecordAsync(CoreRecord record, CancellationToken cancellationToken = default) =>
        Bytes32.FromBytes(await RevertDecoder.CallAsync(Contract, () => _service.HashRecordQueryAsync(record.ToContractStruct()), cancellationToken));

    /// <summary>
    /// The batch anchored as <paramref name="root"/>, or null when the root is not anchored (at <paramref name="block"/>,
    /// default latest). One read of the root's storage slot: the contract keeps no lookup by batch number (the
    /// <c>BatchAnchored</c> events list the batches).
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// When the contract refuses the read: <c>batchOfRoot</c> never reverts, so the address holds a <c>ProvenanceLedger</c>
    /// deployed before it existed (issue 16), or another contract; the message says what to do (docs/upgrades.md).
    /// </exception>
    public async Task<AnchoredBatch?> GetBatchAsync(Bytes32 root, BlockParameter? block = null, CancellationToken cancellationToken = default)
    {
        Abi.AnchoredBatch batch;
        try
        {
            batch = (await RevertDecoder.CallAsync(Contract, () => _service.BatchOfRootQueryAsync(root.ToArray(), block), cancellationToken)).ReturnValue1;
        }
        catch (Exception e) when (e is ContractRevertException || IsRevert(e))
        {
            throw new InvalidOperationException(
                $"ProvenanceLedger {Address} refused batchOfRoot(bytes32) ({e.Message}): it is a deployment from before one storage slot per batch " +
                "(issue 16), which this build cannot anchor on, or not a ProvenanceLedger. Deploy the current contracts and switch to them " +
                "(docs/upgrades.md, \"Upgrading to the one-slot-per-batch ProvenanceLedger\").", e);
        }

        return batch.BatchId == 0
            ? null
            : new AnchoredBatch(batch.BatchId, Bytes32.FromBytes(batch.Root), batch.FirstSequence, batch.RecordCount,
                DateTimeOffset.FromUnixTimeSeconds((long)batch.AnchoredAt), batch.BlockNumber, EvmAddress.Parse(batch.Anchorer));
    }

    // Nodes answer a revert without data as a JSON-RPC error ("execution reverted"); other RPC errors (a rate limit, an
    // unknown block) are not a verdict on the contract and propagate as they are.
    private static bool IsRevert(Exception e) =>
        e is Nethereum.JsonRpc.Client.RpcResponseException { RpcError.Message: { } message }
        && message.Contains("revert", StringComparison.OrdinalIgnoreCase);

    /// <summary>The account that anchored <paramref name="root"/>; null when the root is not anchored.</summary>
    public Task<EvmAddress?> AnchorerOfRootAsync(Bytes32 root, CancellationToken cancellationToken = default) =>
        AnchorerOfRootAtAsync(root, null, cancellationToken);

    /// <summary>
    /// As <see cref="AnchorerOfRootAsync"/>, as of <paramref name="block"/> (the latest block when null): reading at a
    /// block that already has its confirmations tells whether the root is there to stay.
    /// </summary>
    public async Task<EvmAddress?> AnchorerOfRootAtAsync(Bytes32 root, BlockParameter? block, CancellationToken cancellationToken = default)
    {
        var anchorer = EvmAddress.Parse(await RevertDecoder.CallAsync(
            Contract, () => _service.AnchorerOfRootQueryAsync(root.ToArray(), block), cancellationToken));
        return anchorer == EvmAddress.Zero ? null : anchorer;
    }

    /// <summary>The sequence number <paramref name="anchorer"/>'s next batch must start at (each anchorer has its own).</summary>
    public Task<ulong> NextSequenceAsync(EvmAddress anchorer, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.NextSequenceQueryAsync(anchorer.ToString()), cancellationToken);

    /// <summary>As <see cref="NextSequenceAsync"/>, as of <paramref name="block"/>: read several views at one block to see one consistent state.</summary>
    public Task<ulong> NextSequenceAtAsync(EvmAddress anchorer, BlockParameter block, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.NextSequenceQueryAsync(anchorer.ToString(), block), cancellationToken);

    /// <summary>True when the record was revoked by its node's operator.</summary>
    public Task<bool> IsRevokedAsync(Bytes32 recordDigest, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.IsRevokedQueryAsync(recordDigest.ToArray()), cancellationToken);

    /// <summary>The block in which the record was attested, or 0 when it was not.</summary>
    public Task<ulong> AttestedAtAsync(Bytes32 recordDigest, CancellationToken cancellationToken = default) =>
        RevertDecoder.CallAsync(Contract, () => _service.AttestedAtQueryAsync(recordDigest.ToArray()), cancellationToken);
}
