using System.Diagnostics;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Testing.Processes;
using Nethereum.Web3;

namespace MobileAigc.Provenance.LedgerLoad.Phases;

/// <summary>One anchored batch with the gas of its transaction's receipt.</summary>
/// <param name="Id">The ledger's batch id.</param>
/// <param name="RecordCount">Records in it.</param>
/// <param name="GasUsed">Gas of the anchoring transaction, read from the chain's receipt.</param>
/// <param name="LedgerGasUsed">Gas the ledger stored for it (<c>AnchorBatch.GasUsed</c>), to compare.</param>
public sealed record AnchoredBatchGas(long Id, int RecordCount, long GasUsed, long? LedgerGasUsed);

/// <summary>What the wait for anchoring found.</summary>
/// <param name="Batches">Every batch, anchored.</param>
/// <param name="RecordsAnchored">Records in anchored batches.</param>
/// <param name="WaitAfterIngest">From the end of the last ingest run until the last record was anchored.</param>
/// <param name="BatchSize">The configured batch size (a batch of this many records is "full").</param>
public sealed record AnchoringResult(IReadOnlyList<AnchoredBatchGas> Batches, long RecordsAnchored, TimeSpan WaitAfterIngest, int BatchSize)
{
    /// <summary>Batches of exactly <see cref="BatchSize"/> records.</summary>
    public IReadOnlyList<AnchoredBatchGas> FullBatches => [.. Batches.Where(b => b.RecordCount == BatchSize)];

    /// <summary>Total gas over total records.</summary>
    public double GasPerRecordOverall => (double)Batches.Sum(b => b.GasUsed) / RecordsAnchored;

    /// <summary>Batches whose stored gas differs from the receipt's.</summary>
    public int StoredGasMismatches => Batches.Count(b => b.LedgerGasUsed != b.GasUsed);
}

/// <summary>
/// Waits until the ledger reports every accepted record in an anchored batch (audit API), then
/// reads each batch's transaction receipt from the chain itself: the gas is the receipt's, and the
/// ledger's stored figure is only compared with it.
/// </summary>
public sealed class AnchoringPhase(LedgerApi api, IWeb3 chain, HostProcess ledger, TextWriter log)
{
    /// <summary>Polls until <paramref name="expectedRecords"/> are anchored, then reads the receipts.</summary>
    /// <exception cref="TimeoutException">When they are not anchored within <paramref name="timeout"/>.</exception>
    /// <exception cref="InvalidOperationException">When a batch claims a transaction the chain has no receipt for, or a failed one.</exception>
    public async Task<AnchoringResult> WaitAsync(long expectedRecords, int batchSize, TimeSpan sinceIngest, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        List<LedgerBatch> batches;
        long anchored;
        var lastReport = TimeSpan.Zero;
        while (true)
        {
            batches = await api.BatchesAsync(cancellationToken);
            anchored = batches.Where(b => b.State == BatchState.Anchored).Sum(b => (long)b.RecordCount);
            if (anchored >= expectedRecords)
            {
                break;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException(
                    $"{anchored:N0} of {expectedRecords:N0} records anchored after {timeout.TotalSeconds:F0} s ({batches.Count} batches).\n{ledger.OutputTail()}");
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                await log.WriteLineAsync($"Anchoring: {anchored:N0} of {expectedRecords:N0} records in anchored batches ({batches.Count} batches so far).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        var wait = sinceIngest + clock.Elapsed;
        var gas = new List<AnchoredBatchGas>(batches.Count);
        foreach (var batch in batches.OrderBy(b => b.Id))
        {
            var hash = batch.TransactionHash ?? throw new InvalidOperationException($"Batch {batch.Id} is anchored without a transaction hash.");
            var receipt = await chain.Eth.Transactions.GetTransactionReceipt.SendRequestAsync(hash.ToString())
                ?? throw new InvalidOperationException($"Batch {batch.Id}: the chain has no receipt for {hash}.");
            if (receipt.Status.Value != 1)
            {
                throw new InvalidOperationException($"Batch {batch.Id}: transaction {hash} failed on chain.");
            }

            gas.Add(new AnchoredBatchGas(batch.Id, batch.RecordCount, (long)receipt.GasUsed.Value, batch.GasUsed));
        }

        var result = new AnchoringResult(gas, anchored, wait, batchSize);
        await log.WriteLineAsync(
            $"Anchored: {anchored:N0} records in {gas.Count} batches ({result.FullBatches.Count} full), {wait.TotalSeconds:F1} s after ingest ended; " +
            $"{result.GasPerRecordOverall:F1} gas per record overall; stored gas differs from the receipt in {result.StoredGasMismatches} batches.");
        return result;
    }
}
