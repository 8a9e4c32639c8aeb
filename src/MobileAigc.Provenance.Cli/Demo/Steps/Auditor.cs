using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using MobileAigc.Provenance.Chain.Deployment;
using MobileAigc.Provenance.Cli.Common;
using MobileAigc.Provenance.Cli.Demo.LocalNetwork;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using Nethereum.Web3;

namespace MobileAigc.Provenance.Cli.Demo.Steps;

/// <summary>
/// What an auditor does: reads the ledger's public API, re-checks what it says on chain, and, with
/// the ledger's admin key, has the ledger compare its database with the chain.
/// </summary>
internal sealed class Auditor(Script script, ProvenanceContracts contracts, IWeb3 chain, Uri ledgerAddress, string adminKey, string outputDirectory) : IDisposable
{
    private readonly HttpClient _ledger = new() { BaseAddress = ledgerAddress, Timeout = TimeSpan.FromSeconds(60) };
    private readonly HttpClient _admin = new()
    {
        BaseAddress = ledgerAddress,
        Timeout = TimeSpan.FromSeconds(60),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", adminKey) },
    };

    /// <summary>The ledger's public API.</summary>
    public HttpClient Ledger => _ledger;

    /// <summary>Waits until the ledger has anchored every record in <paramref name="digests"/> and shows the batches.</summary>
    public async Task<IReadOnlyList<LedgerRecord>> WaitForAnchoringAsync(IReadOnlyList<Bytes32> digests, CancellationToken cancellationToken)
    {
        var anchored = await script.WaitUntilAsync("the ledger to anchor the records", TimeSpan.FromSeconds(60), async ct =>
            {
                var records = new List<LedgerRecord>();
                foreach (var digest in digests)
                {
                    records.Add(await ServiceHttp.GetAsync<LedgerRecord>(_ledger, $"{LedgerIngest.RecordsPath}/{digest}", ct));
                }

                return records;
            },
            records => records.All(r => r.Anchoring is { Batch.State: BatchState.Anchored }), cancellationToken,
            records => "states " + string.Join(", ", records.Select(r => r.Anchoring?.Batch.State.ToString() ?? "not batched")) + " (the ledger's log says why)");
        var batches = anchored.Select(r => r.Anchoring!.Batch).DistinctBy(b => b.Id);
        script.Step("Ledger anchored them in Merkle batches", string.Join("; ", batches.Select(b =>
            $"batch {b.ChainBatchId}, root {b.Root}, tx {b.TransactionHash} in block {b.BlockNumber}")));
        return anchored;
    }

    /// <summary>Checks every record's inclusion proof, as the ledger's API gives it, against the contract.</summary>
    public async Task CheckProofsAsync(IReadOnlyList<LedgerRecord> anchored, CancellationToken cancellationToken)
    {
        var ledger = contracts.LedgerFor(chain);
        var included = 0;
        foreach (var record in anchored)
        {
            included += await ledger.VerifyInclusionAsync(record.Anchoring!.Root, record.RecordDigest, record.Anchoring.Proof, cancellationToken) ? 1 : 0;
        }

        script.Step("Auditor checked every inclusion proof on chain", $"{included} of {anchored.Count} proofs from the ledger's API accepted by ProvenanceLedger.verifyInclusion");
        if (included != anchored.Count)
        {
            throw new InvalidOperationException("The chain refused an inclusion proof the ledger gave.");
        }
    }

    /// <summary>Has the ledger rebuild its batches from its database and compare them with the chain's events.</summary>
    public async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var report = await ServiceHttp.PostAsync<ReconciliationReport>(_admin, LedgerAudit.ReconcilePath, null, cancellationToken);
        script.Step("Auditor reconciled the ledger with the chain", $"{report.Batches.Count} batches rebuilt from the database and compared with the chain's BatchAnchored events: {report.Ok} ok, {report.Differences} differences");
        if (report.Differences > 0)
        {
            throw new InvalidOperationException("The ledger's batches differ from the chain.");
        }
    }

    /// <summary>Exports the ledger as CSV.</summary>
    public async Task ExportAsync(CancellationToken cancellationToken)
    {
        var csv = await _ledger.GetStringAsync(new Uri($"{LedgerAudit.ExportPath}?format=csv", UriKind.Relative), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(outputDirectory, "ledger-export.csv"), csv, cancellationToken);
        script.Step("Auditor exported the ledger", $"ledger-export.csv, {csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1} records (streamed by GET {LedgerAudit.ExportPath})");
    }

    /// <summary>Reads the dashboard's headline numbers with the admin key (the auditor key opens them too).</summary>
    public async Task ReadDashboardAsync(CancellationToken cancellationToken)
    {
        var summary = await ServiceHttp.GetAsync<DashboardSummary>(_admin, LedgerAudit.DashboardSummaryPath, cancellationToken);
        var gas = summary.GasPerRecord is { } perRecord ? $"{perRecord.ToString("N0", CultureInfo.InvariantCulture)} gas per record" : "no gas figure yet";
        script.Step("Auditor read the dashboard", $"{summary.Records} records ({summary.Anchored} anchored) from {summary.Nodes} node(s) and "
            + $"{summary.Models} model(s) in the last 24 hours, {summary.Batches} batch(es), {gas} (GET {LedgerAudit.DashboardSummaryPath}; "
            + $"the page: {new Uri(_ledger.BaseAddress!, LedgerAudit.DashboardPagePath)} with the admin or auditor key)");
        if (summary.Anchored == 0)
        {
            throw new InvalidOperationException("The dashboard shows no anchored record.");
        }
    }

    /// <summary>Lists the provider's settlements as the ledger mirrored them, then has the ledger check them against the chain.</summary>
    public async Task AuditSettlementsAsync(EvmAddress provider, CancellationToken cancellationToken)
    {
        var totals = (await script.WaitUntilAsync("the ledger to index the settlement", TimeSpan.FromSeconds(30),
            ct => ServiceHttp.GetAsync<IReadOnlyList<SettlementTotals>>(_ledger, $"{LedgerSettlements.TotalsPath}?provider={provider}", ct),
            all => all.Count == 1, cancellationToken)).Single();
        script.Step("Auditor listed the provider's settlements on the ledger", $"{totals.Settlements} settled voucher(s): paid {Ether.Format(totals.Paid)} ETH, royalties {Ether.Format(totals.Royalties)} (GET {LedgerSettlements.TotalsPath})");

        var check = await ServiceHttp.PostAsync<SettlementCheck>(_admin, LedgerSettlements.CheckPath, null, cancellationToken);
        script.Step("Auditor checked the settlements against the chain", $"{check.ChannelsChecked} channel(s), {check.Settlements} settlement(s) compared with PaymentChannels at block {check.IndexedThroughBlock}: {check.Discrepancies.Count} differences");
        if (check.Discrepancies.Count > 0)
        {
            throw new InvalidOperationException("The ledger's settlements differ from the chain.");
        }
    }

    /// <summary>
    /// Reads <paramref name="model"/>'s lineage from the ledger once its settlement indexer has the royalty of every model in
    /// <paramref name="expected"/> (what the auditor worked out from the chain), and shows each model with its owner and royalty.
    /// </summary>
    public async Task ReadModelLineageAsync(Bytes32 model, IReadOnlyDictionary<Bytes32, BigInteger> expected, CancellationToken cancellationToken)
    {
        var lineage = await script.WaitUntilAsync("the ledger to index the derivative's royalties", TimeSpan.FromSeconds(30),
            ct => ServiceHttp.GetAsync<ModelLineage>(_ledger, LedgerModels.LineagePath(model), ct),
            l => expected.All(e => l.Models.Any(m => m.ModelHash == e.Key && Received(m) == e.Value)), cancellationToken,
            l => string.Join(", ", l.Models.Select(m => $"{m.ModelHash}: {Received(m)}")));
        script.Step("Auditor read the derivative's lineage on the ledger",
            $"{string.Join(" → ", lineage.Models.Select(m => $"{m.Name ?? m.ModelHash.ToString()[..10] + "…"} (owner {m.Owner}, royalty {m.RoyaltyBasisPoints / 100} %, received {Ether.Format(Received(m))} ETH)"))}; complete: {lineage.Complete} (GET {LedgerModels.LineagePath(model)})");
    }

    private static BigInteger Received(LineageModel model) =>
        model.RoyaltiesReceived?.Where(r => r.Token.IsZero).Select(r => BigInteger.Parse(r.Amount, CultureInfo.InvariantCulture)).FirstOrDefault() ?? BigInteger.Zero;

    /// <inheritdoc />
    public void Dispose()
    {
        _ledger.Dispose();
        _admin.Dispose();
    }
}
