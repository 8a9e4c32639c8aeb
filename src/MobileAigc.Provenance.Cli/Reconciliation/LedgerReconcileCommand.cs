using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using MobileAigc.Provenance.Core.Api;
using MobileAigc.Provenance.Core.Primitives;
using MobileAigc.Provenance.Ledger.Audit;
using MobileAigc.Provenance.Ledger.Storage;
using Nethereum.Web3;
using Spectre.Console;

namespace MobileAigc.Provenance.Cli.Reconciliation;

/// <summary>
/// <c>provenance ledger reconcile</c>: rebuilds every batch root from a ledger database and checks
/// it against the chain's <c>BatchAnchored</c> events. Exit codes: 0 when everything agrees
/// (pending batches allowed), 2 when any difference is found, 1 when the check could not run.
/// </summary>
internal static class LedgerReconcileCommand
{
    /// <summary>The exit code when the check ran and found a difference.</summary>
    public const int DifferencesFound = 2;

    public static Command Create()
    {
        var provider = new Option<string>("--database-provider") { Description = "sqlite or postgres.", DefaultValueFactory = _ => "sqlite" };
        provider.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string>("--connection") { Description = "The PostgreSQL connection string, or the SQLite file (or connection string).", Required = true };
        var rpc = new Option<string>("--rpc") { Description = "The chain node's JSON-RPC URL.", Required = true };
        var chainId = new Option<long>("--chain-id") { Description = "The chain id the node must report (31337 for anvil).", Required = true };
        var ledger = new Option<string>("--ledger") { Description = "The ProvenanceLedger contract address.", Required = true };
        var deploymentBlock = new Option<long>("--deployment-block") { Description = "The block to start reading events at.", DefaultValueFactory = _ => 0 };

        var reconcile = new Command("reconcile", "Rebuild every batch root from the ledger database and check it against the chain; exit 2 on any difference.")
        {
            provider, connection, rpc, chainId, ledger, deploymentBlock,
        };
        reconcile.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(provider)!, parse.GetValue(connection)!, parse.GetValue(rpc)!, parse.GetValue(chainId),
            parse.GetValue(ledger)!, parse.GetValue(deploymentBlock), cancellationToken));

        return new Command("ledger", "Operate on a ledger's database and its contract.") { reconcile, Availability.LedgerRebuildCommand.Create(), Administration.LedgerAnchorerCommand.Create() };
    }

    private static async Task<int> RunAsync(
        string provider, string connection, string rpcUrl, long chainId, string ledger, long deploymentBlock, CancellationToken cancellationToken)
    {
        const string Command = "ledger reconcile";
        try
        {
            if (!EvmAddress.TryParse(ledger, out var ledgerAddress))
            {
                return await FailAsync(Command, $"--ledger must be an address (0x followed by 40 hex digits); got '{ledger}'.");
            }

            if (!Uri.TryCreate(rpcUrl, UriKind.Absolute, out var rpc) || (rpc.Scheme != Uri.UriSchemeHttp && rpc.Scheme != Uri.UriSchemeHttps))
            {
                return await FailAsync(Command, $"--rpc must be an http(s) URL; got '{rpcUrl}'.");
            }

            if (deploymentBlock < 0 || chainId < 1)
            {
                return await FailAsync(Command, "--deployment-block must be 0 or more and --chain-id 1 or more.");
            }

            var options = DatabaseOptions(provider, connection);
            var web3 = new Web3(rpc.ToString());
            long reported;
            try
            {
                reported = (long)(await web3.Eth.ChainId.SendRequestAsync()).Value;
            }
            catch (Exception e) when (e is HttpRequestException or Nethereum.JsonRpc.Client.RpcClientUnknownException
                or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
            {
                return await FailAsync(Command, $"The chain node at {rpc} does not answer ({e.Message}).");
            }

            if (reported != chainId)
            {
                return await FailAsync(Command, $"The node at {rpc} is on chain {reported}, not {chainId}.");
            }

            var report = await new BatchReconciler(new OptionsFactory(options), web3, ledgerAddress, deploymentBlock, TimeProvider.System)
                .ReconcileAsync(cancellationToken);
            Print(report);
            return report.IsConsistent ? 0 : DifferencesFound;
        }
        catch (Exception e) when (e is ReconciliationChainException or HttpRequestException or FileNotFoundException or ArgumentException
            or InvalidOperationException or DbUpdateException or System.Data.Common.DbException
            or Nethereum.JsonRpc.Client.RpcClientUnknownException or Nethereum.JsonRpc.Client.RpcClientTimeoutException)
        {
            return await FailAsync(Command, e.Message);
        }
    }

    private static LedgerDatabaseOptions DatabaseOptions(string provider, string connection)
    {
        if (provider == "postgres")
        {
            return new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Postgres, ConnectionString = connection };
        }

        if (connection.Contains('=', StringComparison.Ordinal))
        {
            return new LedgerDatabaseOptions { Provider = LedgerDatabaseProvider.Sqlite, ConnectionString = connection };
        }

        // A path: SQLite would silently create an empty file where none is, and report no batches.
        return File.Exists(connection)
            ? new LedgerDatabaseOptions
            {
                Provider = LedgerDatabaseProvider.Sqlite,
                ConnectionString = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = connection }.ToString(),
            }
            : throw new FileNotFoundException($"No SQLite ledger database at '{Path.GetFullPath(connection)}'.");
    }

    private static void Print(ReconciliationReport report)
    {
        var table = new Table().AddColumns("batch", "chain id", "status", "sequences", "stored root", "tx", "details");
        foreach (var batch in report.Batches)
        {
            var status = batch.Status switch
            {
                BatchReconciliationStatus.Ok => "[green]ok[/]",
                BatchReconciliationStatus.Pending => "[yellow]pending[/]",
                _ => $"[red]{Kebab(batch.Status)}[/]",
            };
            var sequences = batch.FirstSequence is { } first && batch.RecordCount is { } count ? $"{first}..{first + count - 1}" : "";
            table.AddRow(
                Markup.Escape(batch.BatchId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                Markup.Escape(batch.ChainBatchId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"),
                status,
                Markup.Escape(sequences),
                Markup.Escape(batch.StoredRoot?.ToString() ?? "-"),
                Markup.Escape(batch.TransactionHash?.ToString() ?? "-"),
                Markup.Escape(string.Join(" ", batch.Differences)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(
            $"blocks {report.FromBlock}..{report.ToBlock}: {report.Ok} ok, {report.Pending} pending, {report.Differences} with differences"));
    }

    private static string Kebab(BatchReconciliationStatus status) => status switch
    {
        BatchReconciliationStatus.RootMismatch => "root-mismatch",
        BatchReconciliationStatus.ProofMismatch => "proof-mismatch",
        BatchReconciliationStatus.MissingOnChain => "missing-on-chain",
        BatchReconciliationStatus.ChainDiffers => "chain-differs",
        BatchReconciliationStatus.ExtraOnChain => "extra-on-chain",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static async Task<int> FailAsync(string command, string message)
    {
        await Console.Error.WriteLineAsync($"{command}: {message}");
        return 1;
    }

    private sealed class OptionsFactory(LedgerDatabaseOptions options) : IDbContextFactory<LedgerDbContext>
    {
        public LedgerDbContext CreateDbContext() => LedgerDatabase.Open(options);
    }
}
